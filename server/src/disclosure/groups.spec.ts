import { outsidersGroup } from './groups.js';

describe('a comparator group for a viewer who sees some of its schools', () => {
  // Six schools of 10 pupils, 20 sessions each, 2 absent each: 10%.
  const rows = [1, 2, 3, 4, 5, 6].map((urn) => ({
    school_urn: String(urn),
    num_schools: 1,
    enrolments: 10,
    possible_sessions: 20,
    overall_absence: 2,
    authorised_absence: 2,
  }));

  it('is shown, to one decimal place and without counts, when 5 of its schools are unknown to the viewer', () => {
    const { row, rows: used } = outsidersGroup(rows, (r) => r.school_urn === '1');
    expect([row.overall_absence_perc, row.possible_sessions, row.num_schools, used]).toEqual([10, 'c', 6, 6]);
  });

  it('is withheld when the schools the viewer does not know are fewer than 5, however many it has', () => {
    const { row } = outsidersGroup(rows, (r) => ['1', '2'].includes(String(r.school_urn)));
    expect(row.overall_absence_perc).toBe('c');
  });
});
