// The weeks of a weekly trend (school and trust pages) and the same weeks a year before.
import { addDays, mondayOf } from '../common/dates.js';
import type { Cell, EesRow } from '../contract/ees.js';

/**
 * The year before is 52 weeks earlier: the same weekdays (a Monday faces a Monday, so a week faces a whole week) and,
 * but for a day or two, the same time of the year; an academic year's week N faces the last one's week N.
 */
export const YEAR_BEFORE_DAYS = 364;

/** The days 52 weeks before from-to. */
export function yearBefore(from: string, to: string): { from: string; to: string } {
  return { from: addDays(from, -YEAR_BEFORE_DAYS), to: addDays(to, -YEAR_BEFORE_DAYS) };
}

/** Rows of a weekly answer by their week (week_commencing). */
export function byWeek(rows: readonly EesRow[]): Map<string, EesRow[]> {
  const weeks = new Map<string, EesRow[]>();
  for (const row of rows) {
    const week = String(row.week_commencing);
    if (!weeks.has(week)) weeks.set(week, []);
    weeks.get(week)!.push(row);
  }
  return weeks;
}

/**
 * The weeks of from-to that any line has figures for, this year or (moved on 52 weeks) the year before, in order:
 * a holiday week (half term, Christmas) with figures in neither is left out, as the LA page's weekly trend leaves it.
 */
export function trendWeeks(
  from: string,
  to: string,
  thisYear: Iterable<string>,
  lastYear: Iterable<string>,
): { week: string; lastYearWeek: string }[] {
  const weeks = new Set(thisYear);
  for (const week of lastYear) weeks.add(addDays(week, YEAR_BEFORE_DAYS));
  const [first, last] = [mondayOf(from), mondayOf(to)];
  return [...weeks]
    .filter((week) => week >= first && week <= last)
    .sort()
    .map((week) => ({ week, lastYearWeek: addDays(week, -YEAR_BEFORE_DAYS) }));
}

/** Overall absence as the row shows it: a rate, "c" where withheld, null without a row or possible sessions. */
export function absenceOf(row: EesRow | undefined): Cell {
  return row?.overall_absence_perc ?? null;
}
