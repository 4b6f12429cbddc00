import {
  academicYearPeriod,
  academicYearStart,
  addDays,
  eesWeek,
  isIsoDate,
  isoWeekday,
  monthOf,
  nextMonth,
  previousAcademicYearStart,
  todayInLondon,
} from './dates.js';

describe('dates', () => {
  it('takes today in London, not UTC', () => {
    expect(todayInLondon(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    expect(todayInLondon(new Date('2026-12-31T23:30:00Z'))).toBe('2026-12-31');
  });
  it("gives a date's calendar month and the next one, across New Year", () => {
    expect(monthOf('2026-02-28')).toBe('2026-02-01');
    expect(nextMonth('2026-02-28')).toBe('2026-03-01');
    expect(nextMonth('2026-09-01')).toBe('2026-10-01');
    expect(nextMonth('2025-12-31')).toBe('2026-01-01');
  });
  it('starts the academic year on 1 September', () => {
    expect(academicYearStart('2026-08-31')).toBe('2025-09-01');
    expect(academicYearStart('2026-09-01')).toBe('2026-09-01');
    expect(academicYearPeriod('2026-03-10')).toBe('202526');
    expect(academicYearPeriod('2099-10-10')).toBe('209900');
  });
  it('goes back to the start of the previous academic year (the first date a register may carry)', () => {
    expect(previousAcademicYearStart('2026-12-03')).toBe('2025-09-01');
    expect(previousAcademicYearStart('2026-08-31')).toBe('2024-09-01');
    expect(previousAcademicYearStart('2026-09-01')).toBe('2025-09-01');
  });
  it('does calendar arithmetic', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(isoWeekday('2026-11-23')).toBe(1);
    expect(isoWeekday('2026-11-22')).toBe(7);
  });
  it('labels weeks as EES does: ISO week number, time_period the calendar year of the Monday', () => {
    expect(eesWeek('2025-09-10')).toEqual({ timePeriod: 2025, week: 37 });
    expect(eesWeek('2026-01-05')).toEqual({ timePeriod: 2026, week: 2 });
    // The week commencing Monday 29 December 2025 is ISO week 1 (of 2026), and its Monday is in 2025.
    expect(eesWeek('2026-01-02')).toEqual({ timePeriod: 2025, week: 1 });
    expect(eesWeek('2027-01-01')).toEqual({ timePeriod: 2026, week: 53 });
    expect(eesWeek('2027-01-04').week).toBe(1);
  });
  it('rejects impossible dates', () => {
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2024-2-9')).toBe(false);
  });
});
