import type { EesRow } from '../contract/ees.js';
import { chronologicalKey, DATA_SET_BY_ID } from './data-sets.js';
import { answer, criteriaDepth, levelsAsked, matches, queryRows } from './query.js';

const weekly = DATA_SET_BY_ID.get('attendance-week')!;
const row = (level: string, la: string, week: string, monday: string, phase: string, absence: number | string) =>
  ({
    time_period: Number(monday.slice(0, 4)),
    time_identifier: `Week ${week}`,
    week_commencing: monday,
    geographic_level: level,
    region_code: level === 'National' ? '' : 'E12000007',
    new_la_code: la,
    old_la_code: la ? '202' : '',
    education_phase: phase,
    overall_absence_perc: absence,
  }) as EesRow;
const rows = queryRows(weekly, [
  row('Local authority', 'E09000007', '51', '2025-12-15', 'Total', 6.5),
  row('Local authority', 'E09000007', '1', '2025-12-29', 'Total', 'c'),
  row('Regional', '', '1', '2025-12-29', 'Total', 2),
  row('National', '', '2', '2026-01-05', 'Primary', 9),
]);
const page = (body: object) =>
  answer(weekly, rows, { page: 1, pageSize: 10, ...body }, () => 0).results.map((r) => [
    r.timePeriod.code,
    r.geographicLevel,
    r.values.overall_absence_perc,
  ]);

describe('a data set query', () => {
  it('writes weeks as DfE does: week 1 may be the week of 29 December, after week 51', () => {
    expect(chronologicalKey('weekly', { period: '2025', code: 'W1' })).toBe('2025-12-29');
    expect(chronologicalKey('weekly', { period: '2025', code: 'W51' })).toBe('2025-12-15');
    expect(chronologicalKey('weekly', { period: '2026', code: 'W2' })).toBe('2026-01-05');
    expect(chronologicalKey('weekly', { period: '2026', code: 'AY' })).toBeUndefined();
    expect(chronologicalKey('term', { period: '2025/2026', code: 'T2' })).toBe('2025-09-01#2');
    expect(chronologicalKey('period', { period: '2025/2027', code: 'AY' })).toBeUndefined();
  });

  it('takes facets, and, or and not together', () => {
    const criteria = {
      timePeriods: { gte: { period: '2025', code: 'W1' } },
      or: [
        { geographicLevels: { eq: 'NAT' as const } },
        { locations: { eq: { level: 'LA' as const, oldCode: '202' } } },
      ],
      not: { filters: { eq: 'phase-primary' } },
    };
    expect(rows.map((r) => matches('weekly', criteria, r))).toEqual([false, true, false, false]);
  });

  it('sorts by time, latest first, by default; by values shown, symbols after the numbers either way', () => {
    expect(page({})).toEqual([
      ['W2', 'NAT', '9'],
      ['W1', 'LA', 'c'],
      ['W1', 'REG', '2'],
      ['W51', 'LA', '6.5'],
    ]);
    const by = (direction: 'Asc' | 'Desc') =>
      page({ sorts: [{ field: 'indicator|overall_absence_perc', direction }] }).map(([, , v]) => v);
    expect(by('Asc')).toEqual(['2', '6.5', '9', 'c']);
    expect(by('Desc')).toEqual(['9', '6.5', '2', 'c']);
  });

  it('reads only the levels a criteria can match, and measures its nesting', () => {
    expect(levelsAsked(undefined)).toEqual(['NAT', 'REG', 'LA']);
    expect(
      levelsAsked({ geographicLevels: { in: ['REG', 'LA'] }, and: [{ geographicLevels: { notEq: 'REG' } }] }),
    ).toEqual(['LA']);
    expect(levelsAsked({ or: [{ geographicLevels: { eq: 'NAT' } }] })).toEqual(['NAT', 'REG', 'LA']);
    let deep: object = {};
    for (let i = 0; i < 30; i++) deep = { not: deep };
    expect(criteriaDepth(deep)).toBe(9);
    expect(criteriaDepth({ and: [{ or: [{}] }, {}] })).toBe(2);
  });
});
