// What the Targeting Support Meeting pack says about a pupil and about the school's pupils together: the attendance
// band, the reason (which codes, which weekdays, the trend), the counts per band and per cohort, and the default date
// of the last meeting. Pure functions: the figures come from PupilsService.
import type { TermCalendar } from '../calendar/term-calendar.js';
import {
  ABSENCE_CODE_LABELS,
  ATTENDANCE_BANDS,
  BREAKDOWN_NAMES,
  BREAKDOWNS,
  breakdownColumns,
  REGISTER_CODE_TABLE,
  type AttendanceBand,
  type Breakdown,
} from '../contract/vocabulary.js';

/** The band of attendance over `possible` sessions with `absent` missed; null without a possible session. */
export function attendanceBand(possible: number, absent: number): AttendanceBand | null {
  if (possible <= 0) return null;
  // Whole numbers, so an edge (exactly 90%, 95%, 50%) falls where the rule says, whatever floating point would do.
  if (absent * 2 >= possible) return 'severe';
  if (absent * 10 >= possible) return 'persistent';
  if (absent * 20 > possible) return 'pa_risk';
  return 'expected';
}

export interface CodeCount {
  code: string;
  sessions: number;
}

const CODE_ORDER = new Map<string, number>(REGISTER_CODE_TABLE.map(([code], i) => [code, i]));

/** The absence codes among a pupil's sessions per code, most sessions first (ties in the register's order). */
export function absenceCodes(reasons: Record<string, number>): CodeCount[] {
  return Object.entries(reasons)
    .filter(([code, sessions]) => code in ABSENCE_CODE_LABELS && sessions > 0)
    .map(([code, sessions]) => ({ code, sessions }))
    .sort((a, b) => b.sessions - a.sessions || CODE_ORDER.get(a.code)! - CODE_ORDER.get(b.code)!);
}

export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

export interface WeekdayCount {
  day: (typeof WEEKDAY_NAMES)[number];
  possible: number;
  absent: number;
}

/**
 * The days of the week a pupil misses more than the others: at least 3 sessions missed on it (two days or more), and
 * at least twice the share missed on the other days, which have sessions. Sessions by ISO weekday, Monday first.
 */
export function standOutDays(possible: number[], absent: number[]): WeekdayCount[] {
  const totalPossible = possible.reduce((a, b) => a + b, 0);
  const totalAbsent = absent.reduce((a, b) => a + b, 0);
  return WEEKDAY_NAMES.flatMap((day, i) => {
    const otherPossible = totalPossible - possible[i];
    // A day stands out only beside others: a pupil with sessions on one day of the week alone has no pattern.
    if (absent[i] < 3 || otherPossible <= 0) return [];
    const otherShare = (totalAbsent - absent[i]) / otherPossible;
    return absent[i] / possible[i] >= 2 * otherShare ? [{ day, possible: possible[i], absent: absent[i] }] : [];
  });
}

export interface ReasonFacts {
  possible: number;
  absent: number;
  codes: CodeCount[];
  days: WeekdayCount[];
  recentPossible: number;
  recentAbsent: number;
  recentCodes: CodeCount[];
  /** Absence (percent) over the four weeks before the last four; null without a possible session in them. */
  previousAbsencePerc: number | null;
}

const one = (n: number) => n.toFixed(1);
const codeList = (codes: CodeCount[]) =>
  codes.map((c) => `${c.sessions} ${ABSENCE_CODE_LABELS[c.code]} (${c.code})`).join(', ');
const plural = (day: string) => `${day}s`;

/**
 * A pupil's absence in words, as the meeting reads it: "12 of 50 sessions missed: 6 illness (I), 6 unauthorised other
 * (O); more on Mondays (10 of 10 missed). Last four weeks: 6 of 20 missed (30.0%): 6 unauthorised other (O); up from
 * 20.0% in the four weeks before."
 */
export function reasonText(f: ReasonFacts): string {
  if (f.absent === 0) return `No sessions missed (${f.possible} possible).`;
  let text = `${f.absent} of ${f.possible} sessions missed: ${codeList(f.codes)}`;
  if (f.days.length)
    text += `; more on ${f.days.map((d) => `${plural(d.day)} (${d.absent} of ${d.possible} missed)`).join(' and ')}`;
  text += '.';
  if (f.recentPossible > 0) {
    const recent = (f.recentAbsent / f.recentPossible) * 100;
    text += ` Last four weeks: ${f.recentAbsent} of ${f.recentPossible} missed (${one(recent)}%)`;
    if (f.recentCodes.length) text += `: ${codeList(f.recentCodes)}`;
    if (f.previousAbsencePerc === null) text += '; no sessions in the four weeks before.';
    else {
      const [now, before] = [one(recent), one(f.previousAbsencePerc)];
      const change = Number(now) - Number(before);
      const way = change > 0 ? 'up from' : change < 0 ? 'down from' : 'the same as';
      text += `; ${way} ${before}% in the four weeks before.`;
    }
  } else text += ' No sessions in the last four weeks.';
  return text;
}

/** What the pack counts of a pupil: its characteristics, band and warning. */
export interface CountedPupil {
  band: AttendanceBand;
  bandThen: AttendanceBand | null;
  atRisk: boolean;
  characteristics: Record<Breakdown, string>;
}

export type BandCounts = Record<AttendanceBand, number>;

export interface CohortSummary {
  breakdown: Breakdown;
  breakdownName: string;
  value: string;
  pupils: number;
  bands: BandCounts;
  atRisk: number;
}

const noBands = (): BandCounts => Object.fromEntries(ATTENDANCE_BANDS.map((b) => [b, 0])) as BandCounts;

/** Pupils per band now and at the last meeting (a pupil without sessions then is in no band then). */
export function bandCounts(pupils: CountedPupil[]): { now: BandCounts; then: BandCounts } {
  const now = noBands();
  const then = noBands();
  for (const p of pupils) {
    now[p.band]++;
    if (p.bandThen) then[p.bandThen]++;
  }
  return { now, then };
}

/**
 * The pupils by each characteristic (FSM, SEN, year group, ...), each cohort's pupils per band and at risk; cohorts in
 * the order the breakdown labels them, Unclassified last, and none without a pupil.
 */
export function cohortSummary(pupils: CountedPupil[]): CohortSummary[] {
  return BREAKDOWN_NAMES.flatMap((breakdown) => {
    const cohorts = new Map<string, CohortSummary>();
    for (const p of pupils) {
      const value = breakdownColumns(breakdown, p.characteristics[breakdown]).breakdown;
      let cohort = cohorts.get(value);
      if (!cohort) {
        const breakdownName = BREAKDOWNS[breakdown].name;
        cohorts.set(value, (cohort = { breakdown, breakdownName, value, pupils: 0, bands: noBands(), atRisk: 0 }));
      }
      cohort.pupils++;
      cohort.bands[p.band]++;
      if (p.atRisk) cohort.atRisk++;
    }
    const order: string[] = [...Object.values<string>(BREAKDOWNS[breakdown].labels), 'Unclassified'];
    return [...cohorts.values()].sort((a, b) => order.indexOf(a.value) - order.indexOf(b.value));
  });
}

/**
 * The default date of the last meeting, as of `date`: the start of the term it is in (in a holiday, the term before).
 * In the academic year's first term, from its second half the start of that half: the year to date before the autumn
 * term's start is empty, and the meeting before was held in another academic year. Undefined where the calendar has
 * no term started by `date`.
 */
export function lastMeetingDefault(calendar: TermCalendar, date: string): string | undefined {
  const term = calendar.terms.filter((t) => t.from <= date).at(-1);
  if (!term) return undefined;
  if (term.term !== 'Autumn') return term.from;
  const half = calendar.halfTerms.filter((h) => h.academicYear === term.academicYear && h.from <= date).at(-1);
  return half?.from;
}
