// Dates in England's school calendar. Registers are kept in Europe/London time; ISO dates (YYYY-MM-DD) throughout.

/**
 * The dates the service keeps and answers about. ClickHouse's Date holds 1970 to 2149 and quietly clamps what is
 * outside; these bounds sit well inside it and around any school year a register or a question can mean.
 */
export const FIRST_DATE = '2000-01-01';
export const LAST_DATE = '2100-12-31';

const londonDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in England, whatever the server's time zone. */
export function todayInLondon(now: Date = new Date()): string {
  return londonDate.format(now);
}

/** 1 September of the academic year that holds `date` (the academic year runs 1 September to 31 August). */
export function academicYearStart(date: string): string {
  const [year, month] = date.split('-').map(Number);
  return `${month >= 9 ? year : year - 1}-09-01`;
}

/**
 * 1 September of the academic year before the one that holds `date`: by default the first date a register may carry
 * (a school corrects last year's registers into the autumn; older years are closed).
 */
export function previousAcademicYearStart(date: string): string {
  return `${Number(academicYearStart(date).slice(0, 4)) - 1}-09-01`;
}

/** 31 August: the last day of the academic year that holds `date`. */
export function academicYearEnd(date: string): string {
  return `${Number(academicYearStart(date).slice(0, 4)) + 1}-08-31`;
}

/** EES time_period for an academic year: 202526 for 2025/26. */
export function academicYearPeriod(date: string): string {
  const start = Number(academicYearStart(date).slice(0, 4));
  return `${start}${String((start + 1) % 100).padStart(2, '0')}`;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** 1 = Monday ... 7 = Sunday. */
export function isoWeekday(date: string): number {
  return ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
}

/** The Monday of the week that holds `date`. */
export function mondayOf(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/** The first day of the calendar month that holds `date`. */
export function monthOf(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

/** The first day of the calendar month after the one that holds `date`. */
export function nextMonth(date: string): string {
  const [year, month] = date.split('-').map(Number);
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
}

/**
 * The EES week of a date, as DfE's weekly files write it: the ISO week number of its week, and as time_period the
 * calendar year of that week's Monday (week_commencing), so a week that straddles New Year keeps one label.
 */
export function eesWeek(date: string): { timePeriod: number; week: number } {
  const monday = mondayOf(date);
  // ISO week 1 is the week with the year's first Thursday.
  const thursday = addDays(monday, 3);
  const dayOfYear =
    (Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${thursday.slice(0, 4)}-01-01T00:00:00Z`)) / 86_400_000;
  return { timePeriod: Number(monday.slice(0, 4)), week: Math.floor(dayOfYear / 7) + 1 };
}

/** True for a real calendar date written YYYY-MM-DD (rejects 2025-02-30). */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
