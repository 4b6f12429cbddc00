// The year's shape of the simulated absence: England's weeks as DfE measured them in 2025/26 (season.json, derived
// from DfE's fortnightly releases by `npm run derive-reference`), the day of the week, and the reasons' mix by season.
// A season is fixed by its live date: its factors average 1 over the school days from the academic year's start to the
// day before (the history the demo posts), so the simulated year to date lands on each LA's published year to date
// whatever the day the demo runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { academicYearStart, addDays, eesWeek, isoWeekday } from '../../server/src/common/dates.js';
import {
  latestSchoolDayIn,
  schoolDays,
  typicalTermCalendar,
  type TermCalendar,
} from '../../server/src/calendar/term-calendar.js';

interface SeasonFile {
  source: string;
  yearToDatePerc: number;
  windows: { releaseUpTo: string; fromWeek: number; toWeek: number; overallAbsencePerc: number }[];
}

export const DFE_SEASON: SeasonFile = JSON.parse(
  readFileSync(join(process.cwd(), 'pipelines/simulator/season.json'), 'utf8'),
);

// Monday and Friday absence runs higher (Mon..Fri); DfE's daily files show the same pattern.
const WEEKDAY_FACTOR = [0, 1.05, 0.97, 0.96, 0.97, 1.05];

/** The DfE release window an ISO week falls in (week 53 with week 52; the summer holiday weeks with the last). */
export function windowOfWeek(week: number): SeasonFile['windows'][number] {
  const w = Math.min(week, 52);
  const found = DFE_SEASON.windows.find((x) =>
    x.fromWeek <= x.toWeek ? x.fromWeek <= w && w <= x.toWeek : w >= x.fromWeek || w <= x.toWeek,
  );
  return found ?? DFE_SEASON.windows[DFE_SEASON.windows.length - 1];
}

/** England's absence in the date's weeks relative to DfE's year to date, times the day of the week. */
function rawFactor(date: string): number {
  return (
    (windowOfWeek(eesWeek(date).week).overallAbsencePerc / DFE_SEASON.yearToDatePerc) * WEEKDAY_FACTOR[isoWeekday(date)]
  );
}

export interface Season {
  calendar: TermCalendar;
  /** The live date: the history the simulated year to date is calibrated over ends the school day before it. */
  asOf: string;
  /** The school days from the academic year's start to the day before asOf, oldest first. */
  dates: readonly string[];
  /** The factor on every pupil's propensity for a date: 1 on average over `dates`. */
  factor(date: string): number;
  /** Weight on holiday codes (G, H): the last days before a break and the first back run higher. */
  holiday(date: string): number;
}

/** The live date: the school day today stands for (today, or the last school day before a weekend or holiday). */
export function liveDateFor(today: string, calendar = typicalTermCalendar()): string {
  return latestSchoolDayIn(calendar, today);
}

const seasons = new Map<string, Season>();

export function seasonFor(asOf: string, calendar = typicalTermCalendar()): Season {
  const key = `${asOf}|${calendar.halfTerms.map((h) => h.from + h.to).join()}`;
  const hit = seasons.get(key);
  if (hit) return hit;
  const before = addDays(asOf, -1);
  const dates = schoolDays(calendar, academicYearStart(asOf), before);
  // Beyond the calendar's years: the weekdays instead.
  if (!dates.length)
    for (let d = academicYearStart(asOf); d <= before; d = addDays(d, 1)) if (isoWeekday(d) <= 5) dates.push(d);
  const mean = dates.length ? dates.reduce((sum, d) => sum + rawFactor(d), 0) / dates.length : rawFactor(asOf);
  const season: Season = {
    calendar,
    asOf,
    dates,
    factor: (date) => rawFactor(date) / mean,
    holiday(date) {
      const span = calendar.halfTerms.find((h) => h.from <= date && date <= h.to);
      if (!span) return 1;
      if (addDays(date, 4) >= span.to) return 3;
      return addDays(span.from, 2) >= date ? 1.5 : 1;
    },
  };
  seasons.set(key, season);
  return season;
}
