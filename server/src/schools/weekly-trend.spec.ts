import { trendWeeks, yearBefore } from './weekly-trend.js';

describe('weekly trend', () => {
  it('takes the year before 52 weeks earlier: the same weekdays', () => {
    // Tuesday 1 September 2026 to Sunday 6 December 2026: Tuesday 2 September 2025 to Sunday 7 December 2025.
    expect(yearBefore('2026-09-01', '2026-12-06')).toEqual({ from: '2025-09-02', to: '2025-12-07' });
  });

  it("lists the period's weeks with figures this year or the year before, in order", () => {
    // 19 October has figures in both years (20 October 2025), 2 November 2026 only the year before (3 November 2025);
    // a week with figures in neither (half term, 26 October) is not listed, nor one before the period's first week.
    expect(
      trendWeeks('2026-09-01', '2026-11-04', ['2026-10-19', '2026-08-31'], ['2025-11-03', '2025-10-20', '2025-08-25']),
    ).toEqual([
      { week: '2026-08-31', lastYearWeek: '2025-09-01' },
      { week: '2026-10-19', lastYearWeek: '2025-10-20' },
      { week: '2026-11-02', lastYearWeek: '2025-11-03' },
    ]);
  });
});
