import { bucketOf, dailyMeans } from './daily-means.js';

const day = (geo: string, bucket: string, phase: string, num_schools: number, enrolments: number) => ({
  geo,
  bucket,
  phase,
  cohort: '',
  num_schools,
  enrolments,
  persistent: 0,
  severe: 0,
});

describe('daily means', () => {
  it("averages a cell's daily counts over the days it has any, Total day by day", () => {
    const means = dailyMeans(
      [
        day('202', '2025-12-15', 'Primary', 2, 30),
        day('202', '2025-12-16', 'Primary', 1, 15),
        day('202', '2025-12-15', 'Secondary', 1, 20),
        day('202', '2025-12-15', 'Other', 1, 5),
      ],
      'period',
    );
    expect(means.get('202||Primary|')).toEqual({ num_schools: 1.5, enrolments: 22.5 });
    expect(means.get('202||Secondary|')).toEqual({ num_schools: 1, enrolments: 20 });
    // Total: 3 schools and 50 pupils on the 15th, 1 and 15 on the 16th; Other is not in it.
    expect(means.get('202||Total|')).toEqual({ num_schools: 2, enrolments: 32.5 });
    expect(means.get('202||Other|')).toEqual({ num_schools: 1, enrolments: 5 });
  });

  it("puts each day in its frame's bucket, and a day outside every term in none", () => {
    const terms = [{ from: '2025-11-03', to: '2025-12-19' }];
    expect(bucketOf('weekly', '2026-01-02')).toBe('2025-12-29');
    expect(bucketOf('weekday', '2026-01-02')).toBe('5');
    expect(bucketOf('half_term', '2025-12-16', terms)).toBe('2025-11-03');
    expect(bucketOf('term', '2026-01-02', terms)).toBeUndefined();
    const means = dailyMeans(
      [day('', '2025-12-16', 'Primary', 1, 4), day('', '2026-01-02', 'Primary', 9, 90)],
      'term',
      terms,
    );
    expect([...means.keys()]).toEqual(['|2025-11-03|Primary|', '|2025-11-03|Total|']);
  });
});
