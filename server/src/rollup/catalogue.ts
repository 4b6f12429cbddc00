// The roll-up catalogue: every aggregate table, named once with its grain, the stages (and so the periods) in which
// it is recomputed and what its sql/queries statement is given there, how the reconciliation finds its rows stale,
// and what the measures read from it. The worker's stages (RollupService), the reconciler's query (reconcile.ts,
// sql/queries/reconcile_stale_slices.sql) and the reader's choice of table (MeasuresRepository) all derive from it: a
// new roll-up is an entry here, its statement and its migration.
import { addDays, isoWeekday, monthOf } from '../common/dates.js';
import type { TermSpan } from '../calendar/term-calendar.js';
import { versionTimestamp } from '../warehouse/warehouse.js';
import { BREAKDOWN_NAMES, BREAKDOWNS, COUNTED_YEAR_GROUPS, LATE_CODES } from '../contract/vocabulary.js';
import { ENROLMENT_PERIODS, type EnrolmentPeriod } from '../contract/vocabulary.js';

/**
 * The periods whose enrolment counts are kept whole: every one a dashboard question can ask for whole ('weekday': one
 * weekday's days of an academic year, the day-of-week pattern).
 */

/** A school's day of marks: what a roll-up job recomputes. */
export type Slice = [urn: number, date: string];

/** The first and last days of one period. */
export interface PeriodSpan {
  start: string;
  end: string;
}

/** The periods longer than a day whose enrolment counts are kept whole: each a stage of its own. */
const LONGER_PERIODS = ENROLMENT_PERIODS.filter((p) => p !== 'day');

/**
 * The worker's stages, in order. 'day': a day's figures for all pupils, which the live push waits for; 'breakdowns':
 * the day's cohorts (their sessions and enrolment counts) and the months' LA sums; then each longer period's enrolment
 * counts.
 */
export const STAGES = ['day', 'breakdowns', ...LONGER_PERIODS] as const;
export type Stage = (typeof STAGES)[number];

/** What a stage's statements are given: the slices and the (school, period) pairs they fall in. */
export interface StageInput {
  slices: Slice[];
  /** The stage's period: 'day' in the day and breakdowns stages. */
  period: EnrolmentPeriod;
  /** (school, span) of each school and period that holds a slice. */
  pairs: [urn: number, span: PeriodSpan][];
  /** A term's or half term's stage: the term calendar's spans of that kind (none for the other periods). */
  terms: TermSpan[];
}

/**
 * How the reconciliation finds a roll-up's rows older than the marks they are made of: the rows (a table and its
 * condition) and the column of their day or period start, which is the slice's day's start of `period`; `sums`, the
 * LA sums made of them (a subquery of that column and `computed`): a school's rows count as computed only once they
 * are added up by LA too.
 */
export interface Staleness {
  period: EnrolmentPeriod;
  rows: string;
  key: string;
  sums?: string;
}

/** What the measures read from a roll-up (identifiers only: every value is a query parameter). */
export interface Read {
  measure: 'sessions' | 'enrolments';
  /** Areas (England, regions, LAs: the LA sums), schools, or pupils (any bucket, grouped per pupil). */
  of: 'areas' | 'schools' | 'pupils';
  /** The rows' grain: a day, a week (Monday to Sunday), a calendar month, or a whole period (school_enrolments'). */
  by: 'day' | 'week' | 'month' | 'period';
  /** Whether it answers questions with a breakdown (its rows by topic), without one, or both. */
  breakdown: 'with' | 'without' | 'both';
  /** FROM and WHERE: the table (FINAL) and the condition its rows must meet. */
  rows: string;
  /** The column that dates its rows. */
  dated: string;
}

export interface Rollup {
  table: string;
  grain: string;
  /** sql/queries/<statement>.sql recomputes it. */
  statement: string;
  /** The stages that recompute it with another statement (a cheaper exact form of it there). */
  statementIn?: Partial<Record<Stage, string>>;
  /**
   * An LA sum: its statement adds up every school's rows of whole days or periods, so a stage runs it once, after every
   * chunk of its schools (RollupService), not once a chunk.
   */
  laSum?: true;
  /** The stages that recompute it, with its statement's parameters there (made just before it runs: its version). */
  stages: Partial<Record<Stage, (input: StageInput) => Record<string, unknown>>>;
  stale: Staleness[];
  reads: Read[];
}

/**
 * When each day's LA sums of a topic were last computed, or the zero time where their month's sums are older (as
 * above).
 */
const laDays = (topic: string) =>
  `SELECT d.date AS date, if(m.computed < least(d.computed, {until:DateTime64(6)}), toDateTime64(0, 6), d.computed) AS computed
   FROM (SELECT date, toStartOfMonth(date) AS month, max(computed_at) AS computed FROM la_daily
         WHERE topic = '${topic}' AND date IN {dates:Array(Date)} GROUP BY date) AS d
   LEFT JOIN (SELECT month, max(computed_at) AS computed FROM la_monthly
              WHERE topic = '${topic}' AND month IN {months:Array(Date)} GROUP BY month) AS m ON m.month = d.month`;

/** A period's school counts and the LA sums made of them, for the slices' periods of that kind only. */
const enrolmentsOf = (period: EnrolmentPeriod): Staleness => ({
  period,
  rows: `school_enrolments WHERE period = '${period}' AND topic = '' AND start IN {${period}_starts:Array(Date)}`,
  key: 'start',
  sums: `SELECT start, max(computed_at) AS computed FROM la_enrolments WHERE period = '${period}' AND topic = '' AND start IN {${period}_starts:Array(Date)} GROUP BY start`,
});

/** In dependency order: within a stage each roll-up is recomputed after those it is made of. */
export const ROLLUPS: Rollup[] = [
  {
    table: 'pupil_daily',
    grain: 'pupil × school × day: sessions, census values and whether the pupil is counted',
    statement: 'rollup_pupil_daily',
    stages: { day: ({ slices }) => ({ ...sliceParams(slices), ...COUNTED }) },
    stale: [{ period: 'day', rows: 'pupil_daily WHERE date IN {dates:Array(Date)}', key: 'date' }],
    reads: [
      {
        measure: 'enrolments',
        of: 'pupils',
        by: 'day',
        breakdown: 'both',
        rows: 'pupil_daily FINAL WHERE counted',
        dated: 'date',
      },
    ],
  },
  {
    table: 'school_daily',
    grain:
      "school × day: the session counts of the school's counted pupils (years 1-11), and its day's enrolment counts of all pupils from pupil_daily (which its view writes to school_enrolments)",
    statement: 'rollup_school_daily',
    stages: { day: ({ slices }) => ({ ...sliceParams(slices), ...COUNTED }) },
    stale: [{ period: 'day', rows: 'school_daily WHERE date IN {dates:Array(Date)}', key: 'date', sums: laDays('') }],
    reads: [
      {
        measure: 'sessions',
        of: 'schools',
        by: 'day',
        breakdown: 'without',
        rows: 'school_daily FINAL WHERE true',
        dated: 'date',
      },
    ],
  },
  {
    table: 'school_cohort_daily',
    grain:
      "school × day × breakdown cohort: session counts of counted pupils, and the cohort's day enrolment counts (which its view writes to school_enrolments)",
    statement: 'rollup_school_cohort_daily',
    stages: { breakdowns: ({ slices }) => ({ ...sliceParams(slices), ...BREAKDOWN_GRID, ...BREAKDOWN_VALUES }) },
    // One topic stands for all: a recomputation writes every topic's rows of its slices at once.
    stale: [
      {
        period: 'day',
        rows: "school_cohort_daily WHERE topic = 'fsm' AND date IN {dates:Array(Date)}",
        key: 'date',
        sums: laDays('fsm'),
      },
    ],
    reads: [
      {
        measure: 'sessions',
        of: 'schools',
        by: 'day',
        breakdown: 'with',
        rows: 'school_cohort_daily FINAL WHERE topic = {topic:String} AND pupils > 0',
        dated: 'date',
      },
    ],
  },
  {
    table: 'pupil_weekly',
    grain: "pupil × school × week: a week's counted sessions and the census values of its last day",
    statement: 'rollup_pupil_weekly',
    stages: {
      week: ({ pairs }) => {
        const weeks = pairs.map(([, span]) => span.start).sort();
        return {
          urns: urnsOf(pairs),
          from: weeks[0],
          to: addDays(weeks.at(-1)!, 6),
          ...pairParams(pairs),
          computed_at: versionTimestamp(),
        };
      },
    },
    stale: [{ period: 'week', rows: 'pupil_weekly WHERE week IN {week_starts:Array(Date)}', key: 'week' }],
    reads: [
      {
        measure: 'enrolments',
        of: 'pupils',
        by: 'week',
        breakdown: 'both',
        rows: 'pupil_weekly FINAL WHERE true',
        dated: 'week',
      },
    ],
  },
  {
    table: 'school_enrolments',
    grain: 'school × period (of each kind) × breakdown cohort: enrolments, persistent and severe absentees',
    statement: 'rollup_school_enrolments',
    // A day's or a week's counts need no grouping per pupil (a pupil's day is one pupil_daily row, its week one
    // pupil_weekly row). A day's are written with its session counts, by views: all pupils' in the day stage with
    // school_daily (sql/0030_day_enrolments.sql), the breakdowns' with school_cohort_daily
    // (sql/0031_cohort_day_enrolments.sql): no statement of their own. A week's, every topic, by one statement.
    statementIn: { week: 'rollup_school_enrolments_weekly' },
    stages: {
      ...Object.fromEntries(LONGER_PERIODS.map((period) => [period, schoolEnrolments])),
      week: weekEnrolments,
    },
    // The day's breakdowns are found stale with school_cohort_daily's and their LA sums with la_daily's.
    stale: ENROLMENT_PERIODS.map(enrolmentsOf),
    reads: [
      {
        measure: 'enrolments',
        of: 'schools',
        by: 'period',
        breakdown: 'both',
        rows: 'school_enrolments FINAL WHERE topic = {topic:String}',
        dated: 'start',
      },
    ],
  },
  {
    table: 'la_enrolments',
    laSum: true,
    grain: 'LA × period × breakdown cohort: the sums of school_enrolments',
    statement: 'rollup_la_enrolments',
    // A day's: written with la_daily's rows, by its views (as school_enrolments').
    stages: Object.fromEntries(LONGER_PERIODS.map((period) => [period, laEnrolments])),
    stale: [], // in school_enrolments' (sums)
    reads: [
      {
        measure: 'enrolments',
        of: 'areas',
        by: 'period',
        breakdown: 'both',
        rows: 'la_enrolments FINAL WHERE topic = {topic:String}',
        dated: 'start',
      },
    ],
  },
  {
    table: 'la_daily',
    laSum: true,
    grain:
      "LA × day × breakdown cohort: the sums of school_daily (all pupils) and school_cohort_daily (the breakdowns), with the day's enrolment counts, which its views write to la_enrolments",
    statement: 'rollup_la_daily',
    // The day stage's (which the live push waits for) has all pupils' sums, the breakdowns stage's the breakdowns'.
    statementIn: { day: 'rollup_la_daily_all' },
    stages: {
      day: ({ slices }) => ({ dates: datesOf(slices), computed_at: versionTimestamp() }),
      breakdowns: ({ slices }) => ({
        topics: BREAKDOWN_NAMES,
        dates: datesOf(slices),
        computed_at: versionTimestamp(),
      }),
    },
    stale: [], // in school_daily's and school_cohort_daily's (sums)
    reads: [
      {
        measure: 'sessions',
        of: 'areas',
        by: 'day',
        breakdown: 'both',
        rows: 'la_daily FINAL WHERE topic = {topic:String} AND schools > 0',
        dated: 'date',
      },
    ],
  },
  {
    table: 'la_monthly',
    laSum: true,
    grain: 'LA × calendar month × breakdown cohort: the sums of la_daily (schools: the most of any day)',
    statement: 'rollup_la_monthly',
    stages: {
      breakdowns: ({ slices }) => ({
        topics: ['', ...BREAKDOWN_NAMES],
        months: [...new Set(datesOf(slices).map(monthOf))],
        computed_at: versionTimestamp(),
      }),
    },
    stale: [], // in la_daily's (laDays)
    reads: [
      {
        measure: 'sessions',
        of: 'areas',
        by: 'month',
        breakdown: 'both',
        rows: 'la_monthly FINAL WHERE topic = {topic:String} AND schools > 0',
        dated: 'month',
      },
    ],
  },
];

/** The roll-up the measures read for a question: the one entry whose read matches (the catalogue has one for each). */
export function readOf(measure: Read['measure'], of: Read['of'], by: Read['by'], breakdown: boolean): Read {
  const matches = ROLLUPS.flatMap((r) => r.reads).filter(
    (read) =>
      read.measure === measure &&
      read.of === of &&
      read.by === by &&
      (read.breakdown === 'both' || (read.breakdown === 'with') === breakdown),
  );
  if (matches.length !== 1)
    throw new Error(
      `The roll-up catalogue has ${matches.length} tables for ${measure} of ${of} by ${by}${breakdown ? ' with a breakdown' : ''}`,
    );
  return matches[0];
}

// The statements' parameters.

/**
 * The counted year groups and the late codes: the marks' statements take them from the vocabulary
 * (contract/vocabulary.ts).
 */
const COUNTED = { counted_years: [...COUNTED_YEAR_GROUPS], late_codes: [...LATE_CODES] };

/** Every (topic, cohort) pair of the breakdowns: each value with a label, and '' for unclassified. */
const GRID = BREAKDOWN_NAMES.flatMap((name) =>
  ['', ...Object.keys(BREAKDOWNS[name].labels)].map((cohort) => [name, cohort]),
);
const BREAKDOWN_GRID = { grid_topics: GRID.map(([topic]) => topic), grid_cohorts: GRID.map(([, cohort]) => cohort) };
/** The labelled values of each breakdown (fsm: ['Y', 'N'], ...). */
const BREAKDOWN_VALUES = Object.fromEntries(
  BREAKDOWN_NAMES.map((name) => [name, Object.keys(BREAKDOWNS[name].labels)]),
);

const datesOf = (slices: Slice[]) => [...new Set(slices.map(([, date]) => date))];
const urnsOf = (list: [number, unknown][]) => [...new Set(list.map(([urn]) => urn))];

/** The slices' schools and dates (for the index), the pairs, and the version. */
function sliceParams(slices: Slice[]) {
  return {
    urns: urnsOf(slices),
    dates: datesOf(slices),
    slice_urns: slices.map(([urn]) => urn),
    slice_dates: slices.map(([, date]) => date),
    computed_at: versionTimestamp(),
  };
}

const pairParams = (pairs: StageInput['pairs']) => ({
  slice_urns: pairs.map(([urn]) => urn),
  slice_starts: pairs.map(([, span]) => span.start),
});

function schoolEnrolments({ period, pairs, terms }: StageInput) {
  const reads = [...new Map(pairs.map(([, span]) => [span.start, span])).values()].map((span) => readsOf(period, span));
  return {
    period,
    urns: urnsOf(pairs),
    weeks: [...new Set(reads.flatMap((r) => r.weeks))],
    days: [...new Set(reads.flatMap((r) => r.days))],
    ...pairParams(pairs),
    term_froms: terms.map((t) => t.from),
    term_tos: terms.map((t) => t.to),
    grid_topics: ['', ...BREAKDOWN_GRID.grid_topics],
    grid_cohorts: ['', ...BREAKDOWN_GRID.grid_cohorts],
    ...BREAKDOWN_VALUES,
    computed_at: versionTimestamp(),
  };
}

/** A week's enrolment counts of every topic: each pupil's one pupil_weekly row. */
function weekEnrolments({ pairs }: StageInput) {
  return {
    urns: urnsOf(pairs),
    weeks: [...new Set(pairs.map(([, span]) => span.start))],
    ...pairParams(pairs),
    grid_topics: ['', ...BREAKDOWN_GRID.grid_topics],
    grid_cohorts: ['', ...BREAKDOWN_GRID.grid_cohorts],
    ...BREAKDOWN_VALUES,
    computed_at: versionTimestamp(),
  };
}

function laEnrolments({ period, pairs }: StageInput) {
  return {
    period,
    starts: [...new Set(pairs.map(([, span]) => span.start))],
    topics: ['', ...BREAKDOWN_NAMES],
    computed_at: versionTimestamp(),
  };
}

/**
 * What a period's enrolment counts read: the Mondays of the weeks it holds whole, from pupil_weekly (a day or a
 * weekday's days have none), and its other days, from pupil_daily (a year's days before its first Monday and after its
 * last whole week; a weekday's days of the year).
 */
function readsOf(period: EnrolmentPeriod, span: PeriodSpan): { weeks: string[]; days: string[] } {
  const weeks: string[] = [];
  const days: string[] = [];
  for (let day = span.start; day <= span.end;) {
    if (period !== 'day' && period !== 'weekday' && isoWeekday(day) === 1 && addDays(day, 6) <= span.end) {
      weeks.push(day);
      day = addDays(day, 7);
    } else {
      days.push(day);
      day = addDays(day, period === 'weekday' ? 7 : 1);
    }
  }
  return { weeks, days };
}
