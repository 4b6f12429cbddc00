import { DEFAULT_TERM_CALENDAR, loadTermCalendar } from '../calendar/term-calendar.js';
import { comparedPeriods, monthsBefore, RECENT_MONTHS } from './inspection.service.js';

const calendar = loadTermCalendar(DEFAULT_TERM_CALENDAR);

describe('the periods the inspection score compares', () => {
  it('are this half term so far, the half term before, and the same days of the half term last year', () => {
    // Autumn 2 2026/27 began 2 November: 21 days to 23 November. Autumn 1 ran 3 September to 23 October.
    // Autumn 2 2025/26 began 3 November 2025: the same 21 days take it to 24 November 2025.
    expect(comparedPeriods(calendar, '2026-11-23')).toEqual({
      current: ['2026-11-02', '2026-11-23'],
      previous: ['2026-09-03', '2026-10-23'],
      lastYear: ['2025-11-03', '2025-11-24'],
    });
  });

  it('fall back to 42-day windows and 52 weeks back where the calendar has no half term', () => {
    expect(comparedPeriods(calendar, '2030-03-10')).toEqual({
      current: ['2030-01-28', '2030-03-10'],
      previous: ['2029-12-17', '2030-01-27'],
      lastYear: ['2029-01-29', '2029-03-11'],
    });
  });
});

describe('recent inspections', () => {
  it('are those on or after the same day six calendar months back (the month end where it is shorter)', () => {
    expect(monthsBefore('2026-12-06', RECENT_MONTHS)).toBe('2026-06-06');
    expect(monthsBefore('2026-08-31', 6)).toBe('2026-02-28');
    expect(monthsBefore('2026-03-15', 6)).toBe('2025-09-15');
  });
});
