import { Inject, Injectable } from '@nestjs/common';
import {
  academicYearEnd,
  academicYearStart,
  addDays,
  isoWeekday,
  mondayOf,
  monthOf,
  nextMonth,
  todayInLondon,
} from '../common/dates.js';
import { readOf } from './catalogue.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { TermSpan } from '../calendar/term-calendar.js';
import { WAREHOUSE, type Warehouse } from '../warehouse/warehouse.js';
import { Batcher } from '../common/batcher.js';
import { InFlight } from '../common/in-flight.js';
import { LA_BY_CODE } from '../reference/local-authorities.js';
import { type Breakdown, BREAKDOWNS, type EnrolmentPeriod, type Frame, type Level } from '../contract/vocabulary.js';

/** Which rows a query may see: every school, or only these (a viewer's scope or a requested area). */
export interface MeasuresFilter {
  from: string;
  to: string;
  regionCode?: string;
  laCodes?: string[];
  urns?: number[];
  /** Term frames: the terms or half terms (first and last days) to group by; a day outside them is left out. */
  termFroms?: string[];
  termTos?: string[];
}

export interface SessionCounts {
  geo: string;
  bucket: string;
  phase: string;
  /** The breakdown value (a census code), '' without a breakdown. */
  cohort: string;
  possible: number;
  present: number;
  aea: number;
  authorised: number;
  unauthorised: number;
  late: number;
  reasons: Record<string, number>;
}

export interface EnrolmentCounts {
  geo: string;
  bucket: string;
  phase: string;
  cohort: string;
  /** Schools with an enrolment in the row (so a row has schools exactly when it has enrolments). */
  num_schools: number;
  enrolments: number;
  persistent: number;
  severe: number;
}

// Identifiers come only from these fixed maps; values only as query parameters.
const GEO: Record<Level, string> = { national: "''", regional: 'region_code', la: 'la_code', school: 'toString(urn)' };
const IN_TERM = '(f, t) -> date BETWEEN f AND t, {termFroms:Array(Date)}, {termTos:Array(Date)}';
/** The first day of the term or half term that holds the date. */
const TERM_BUCKET = `toString(arrayFirst(${IN_TERM}))`;
const BUCKET: Record<Frame, string> = {
  period: "''",
  daily: 'toString(date)',
  weekly: 'toString(toMonday(date))',
  weekday: 'toString(toDayOfWeek(date))',
  half_term: TERM_BUCKET,
  term: TERM_BUCKET,
};

/** The filter as a condition; `dated`: only rows dated from `from` to `to`. */
function where(filter: MeasuresFilter, dated = true): string {
  return [
    dated ? 'date BETWEEN {from:Date} AND {to:Date}' : 'true',
    filter.regionCode !== undefined ? 'region_code = {regionCode:String}' : '',
    filter.laCodes !== undefined ? 'la_code IN {laCodes:Array(String)}' : '',
    filter.urns !== undefined ? 'urn IN {urns:Array(UInt32)}' : '',
    filter.termFroms !== undefined ? `arrayExists(${IN_TERM})` : '',
  ]
    .filter(Boolean)
    .join(' AND ');
}

/** The days from `first` to `last`, both included. */
function daysFrom(first: string, last: string): string[] {
  const days = [];
  for (let day = first; day <= last; day = addDays(day, 1)) days.push(day);
  return days;
}

const minDate = (a: string, b: string) => (a < b ? a : b);
const maxDate = (a: string, b: string) => (a > b ? a : b);

/**
 * The first days of the first and last calendar months that from-to holds whole, before this month (this month's sums
 * are recomputed a few seconds after its days'); undefined when it holds none.
 */
function wholeMonths(from: string, to: string): { first: string; last: string } | undefined {
  const first = monthOf(from) === from ? from : nextMonth(from);
  const end = minDate(to, addDays(monthOf(todayInLondon()), -1));
  const last = addDays(nextMonth(end), -1) === end ? monthOf(end) : monthOf(addDays(monthOf(end), -1));
  return first <= last ? { first, last } : undefined;
}

/**
 * The academic year (2025 for 2025/26) when from-to holds all of its marks: from its first day to its last, or to today
 * (no mark is ever dated after today); otherwise undefined.
 */
function wholeAcademicYear(from: string, to: string): number | undefined {
  const start = academicYearStart(from);
  const end = academicYearEnd(from);
  return from === start && (to >= end || (to >= todayInLondon() && academicYearStart(to) === start))
    ? Number(start.slice(0, 4))
    : undefined;
}

// The roll-up tables' sorting keys hold the date, and they are partitioned by month: a row and its replacement are
// always in the same partition, so FINAL may work partition by partition (in parallel).
const FINAL_BY_PARTITION = 'do_not_merge_across_partitions_select_final = 1';

/** Rows of session counts: a roll-up's table and condition, read from `from` to `to` of its `dated` column. */
interface SessionSource {
  rows: string;
  dated: string;
  from: string;
  to: string;
}

/**
 * National, regional and LA figures not limited to some schools: read from the LA sums (la_daily, la_monthly,
 * la_enrolments).
 */
const byArea = (level: Level, filter: MeasuresFilter) => level !== 'school' && filter.urns === undefined;

/** The breakdown's census value, '' for all values without a label: one Unclassified cohort, counted once. */
function cohortOf(breakdown?: Breakdown): string {
  return breakdown
    ? `if(${BREAKDOWNS[breakdown].column} IN {cohorts:Array(String)}, ${BREAKDOWNS[breakdown].column}, '')`
    : "''";
}

function params(filter: MeasuresFilter, breakdown?: Breakdown): Record<string, unknown> {
  return {
    ...Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined)),
    ...(breakdown && { cohorts: Object.keys(BREAKDOWNS[breakdown].labels) }),
  };
}

/** The columns of session and enrolment counts: each adds up across schools and LAs. */
export const SESSION_COUNTS = ['possible', 'present', 'aea', 'authorised', 'unauthorised', 'late'] as const;
export const ENROLMENT_COUNTS = ['num_schools', 'enrolments', 'persistent', 'severe'] as const;

/**
 * LA rows added up into England's row or the regions' (the reference file's, which the roll-ups join for their region
 * codes; an LA of none is left out of them): `counts` are added, and `maps` (counts by key) key by key.
 */
export function sumOfLas<T extends Pick<SessionCounts, 'geo' | 'bucket' | 'phase' | 'cohort'>>(
  rows: readonly T[],
  level: 'national' | 'regional',
  counts: readonly (keyof T & string)[],
  maps: readonly (keyof T & string)[] = [],
): T[] {
  const sums = new Map<string, Record<string, unknown>>();
  for (const row of rows) {
    const geo = level === 'national' ? '' : LA_BY_CODE.get(row.geo)?.regionCode;
    if (geo === undefined) continue;
    const k = JSON.stringify([geo, row.bucket, row.phase, row.cohort]);
    const sum = sums.get(k) ?? {
      ...row,
      geo,
      ...Object.fromEntries([...counts.map((c) => [c, 0]), ...maps.map((m) => [m, {}])]),
    };
    sums.set(k, sum);
    for (const column of counts) sum[column] = (sum[column] as number) + Number(row[column]);
    for (const column of maps) {
      const into = sum[column] as Record<string, number>;
      for (const [key, n] of Object.entries(row[column] as Record<string, number>))
        into[key] = (into[key] ?? 0) + Number(n);
    }
  }
  return [...sums.values()] as T[];
}

/** Reads the roll-ups, never the raw marks. */
@Injectable()
export class MeasuresRepository {
  /** The school-level reads being gathered, by question (each of its own row type). */
  private readonly batchers = new Map<string, unknown>();
  /** Every LA's figures for a period, read for England, regions and LAs asked together: in flight, by question. */
  private readonly everyLa = new InFlight<SessionCounts[]>();
  /** The marked-days reads in flight, by their days. */
  private readonly marking = new InFlight<Set<string>>();

  constructor(
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'termCalendar'>,
  ) {}

  /**
   * Session counts: national, regional and LA figures from la_daily (one row per LA, phase and day) and, for a period's
   * whole calendar months, la_monthly; a school's, or those of a set of schools, from school_daily; by a breakdown from
   * their cohorts' rows (la_daily's, la_monthly's or school_cohort_daily).
   */
  sessions(level: Level, frame: Frame, filter: MeasuresFilter, breakdown?: Breakdown): Promise<SessionCounts[]> {
    if (frame === 'period' && byArea(level, filter) && !filter.termFroms)
      return this.periodFromLas(level, filter, breakdown);
    return this.together('sessions', level, frame, filter, breakdown, (f) =>
      this.readSessions(level, frame, f, breakdown),
    );
  }

  /**
   * A period's figures of England, regions or LAs from one read of every LA's (a few hundred rows), England and the
   * regions being their sums: those asked together (an LA against its region and England, the national page's parts)
   * share the read, so they are also counted at the same moment.
   */
  private async periodFromLas(level: Level, filter: MeasuresFilter, breakdown?: Breakdown): Promise<SessionCounts[]> {
    const { regionCode, laCodes, ...period } = filter;
    const read = this.everyLa.share(JSON.stringify([period, breakdown ?? '']), () =>
      this.readSessions('la', 'period', period, breakdown),
    );
    const rows = (await read).filter(
      (row) =>
        (laCodes === undefined || laCodes.includes(row.geo)) &&
        (regionCode === undefined || LA_BY_CODE.get(row.geo)?.regionCode === regionCode),
    );
    if (level === 'la') return rows;
    return sumOfLas(rows, level === 'regional' ? 'regional' : 'national', SESSION_COUNTS, ['reasons']);
  }

  /**
   * Enrolments (school + pupil with a possible session in the bucket) and persistent (>= 10%) / severe (>= 50%)
   * absentees. Days, whole weeks, terms and half terms, and whole academic years (or their year to date), also by
   * weekday, are read from the per-LA or per-school counts of la_enrolments and school_enrolments; other buckets, and
   * the part-weeks at the ends of a weekly range, group pupil_daily by pupil.
   */
  enrolments(level: Level, frame: Frame, filter: MeasuresFilter, breakdown?: Breakdown): Promise<EnrolmentCounts[]> {
    return this.together('enrolments', level, frame, filter, breakdown, (f) =>
      this.readEnrolments(level, frame, f, breakdown),
    );
  }

  /**
   * School-level reads of one question (the same frame, days and breakdown) for different schools, asked in the same
   * turn of the event loop, made as one read of all their schools: the rows are per school, so each caller takes its
   * own. The school overview asks for its school (with its LA's schools) and its comparators at once.
   */
  private together<T extends { geo: string }>(
    kind: string,
    level: Level,
    frame: Frame,
    filter: MeasuresFilter,
    breakdown: Breakdown | undefined,
    read: (filter: MeasuresFilter) => Promise<T[]>,
  ): Promise<T[]> {
    const { urns, ...question } = filter;
    if (level !== 'school' || !urns || question.laCodes || question.regionCode !== undefined) return read(filter);
    const key = JSON.stringify([kind, frame, breakdown ?? '', question]);
    let batcher = this.batchers.get(key) as Batcher<number[], T[]> | undefined;
    if (!batcher) {
      // One turn's reads of the question, read once: the next turn's are a read of their own (a new batcher).
      batcher = new Batcher<number[], T[]>(
        async (lists) => {
          this.batchers.delete(key);
          const rows = await read({ ...question, urns: [...new Set(lists.flat())] });
          return lists.map((urnsOfCaller) => {
            const own = new Set(urnsOfCaller.map(String));
            return rows.filter((row) => own.has(row.geo));
          });
        },
        { maxItems: Infinity, gather: true },
      );
      this.batchers.set(key, batcher);
    }
    return batcher.add(urns);
  }

  private async readSessions(
    level: Level,
    frame: Frame,
    filter: MeasuresFilter,
    breakdown?: Breakdown,
  ): Promise<SessionCounts[]> {
    const of = byArea(level, filter) ? 'areas' : 'schools';
    const days = readOf('sessions', of, 'day', breakdown !== undefined);
    const months =
      of === 'areas' && frame === 'period' && !filter.termFroms ? wholeMonths(filter.from, filter.to) : undefined;
    if (!months)
      return this.sessionRows([{ ...days, from: filter.from, to: filter.to }], level, frame, filter, breakdown);
    const after = nextMonth(months.last);
    const parts: SessionSource[] = [
      { ...readOf('sessions', of, 'month', breakdown !== undefined), from: months.first, to: months.last },
    ];
    if (filter.from < months.first) parts.push({ ...days, from: filter.from, to: addDays(months.first, -1) });
    if (after <= filter.to) parts.push({ ...days, from: after, to: filter.to });
    return this.sessionRows(parts, level, frame, filter, breakdown);
  }

  /**
   * Session counts from one or more sources (a table and its condition, over some of the days), in one query: from one
   * source directly (no subquery to group its rows first), from several through their union.
   */
  private sessionRows(
    sources: SessionSource[],
    level: Level,
    frame: Frame,
    filter: MeasuresFilter,
    breakdown?: Breakdown,
  ): Promise<SessionCounts[]> {
    const keys = `${GEO[level]} AS geo, ${BUCKET[frame]} AS bucket, phase, ${breakdown ? 'cohort' : "''"} AS cohort`;
    const sums = `sum(possible) AS possible, sum(present) AS present, sum(aea) AS aea, sum(authorised) AS authorised,
                  sum(unauthorised) AS unauthorised, sum(late) AS late, sumMap(reasons) AS reasons`;
    const rows = (source: SessionSource, i: number) =>
      `${source.rows} AND ${source.dated} BETWEEN {from${i}:Date} AND {to${i}:Date} AND ${where(filter, false)}`;
    const sql =
      sources.length === 1
        ? `SELECT ${keys}, ${sums} FROM ${rows(sources[0], 0)}`
        : `SELECT geo, bucket, phase, cohort, ${sums}
           FROM (${sources.map((source, i) => `SELECT ${keys}, possible, present, aea, authorised, unauthorised, late, reasons FROM ${rows(source, i)}`).join(' UNION ALL ')})`;
    return this.warehouse.query<SessionCounts>(
      `${sql} GROUP BY geo, bucket, phase, cohort SETTINGS prefer_column_name_to_alias = 1, ${FINAL_BY_PARTITION}`,
      {
        ...params(filter),
        ...Object.fromEntries(
          sources.flatMap((source, i) => [
            [`from${i}`, source.from],
            [`to${i}`, source.to],
          ]),
        ),
        topic: breakdown ?? '',
      },
    );
  }

  private async readEnrolments(
    level: Level,
    frame: Frame,
    filter: MeasuresFilter,
    breakdown?: Breakdown,
  ): Promise<EnrolmentCounts[]> {
    const year = filter.termFroms ? undefined : wholeAcademicYear(filter.from, filter.to);
    if (frame === 'period' && year !== undefined)
      return this.periodEnrolments(level, 'year', `${year}-09-01`, `${year}-09-01`, filter, breakdown);
    // One day as a period (the live push's question) is that day's row, and a term or half term (or one to date) its
    // row, in the period's one bucket.
    if (frame === 'period' && !filter.termFroms && filter.from === filter.to)
      return this.periodEnrolments(level, 'day', filter.from, filter.to, filter, breakdown, "''");
    const term = frame === 'period' && !filter.termFroms ? this.termOf(filter.from, filter.to) : undefined;
    if (term) return this.periodEnrolments(level, term.kind, term.from, term.from, filter, breakdown, "''");
    if (frame === 'daily') return this.periodEnrolments(level, 'day', filter.from, filter.to, filter, breakdown);
    // The day-of-week pattern over a whole academic year (or its year to date): each weekday's row, which starts in
    // the year's first week.
    if (frame === 'weekday' && year !== undefined) {
      return this.periodEnrolments(
        level,
        'weekday',
        `${year}-09-01`,
        `${year}-09-07`,
        filter,
        breakdown,
        'toString(toDayOfWeek(start))',
      );
    }
    if (frame === 'term' || frame === 'half_term') return this.termEnrolments(level, frame, filter, breakdown);
    if (frame !== 'weekly') return this.pupilEnrolments(level, frame, filter, breakdown);
    const { first, last } = await this.wholeWeeks(filter.from, filter.to);
    const parts = [
      first <= last ? this.periodEnrolments(level, 'week', first, last, filter, breakdown) : Promise.resolve([]),
    ];
    if (filter.from < first)
      parts.push(
        this.pupilEnrolments(level, frame, { ...filter, to: minDate(addDays(first, -1), filter.to) }, breakdown),
      );
    const after = maxDate(first <= last ? addDays(last, 7) : first, filter.from);
    if (after <= filter.to) parts.push(this.pupilEnrolments(level, frame, { ...filter, from: after }, breakdown));
    return (await Promise.all(parts)).flat();
  }

  /**
   * The Mondays of the first and last weeks that from-to holds whole (first > last when it holds none): each of their
   * days is in from-to or holds no mark (a holiday, a weekend, or after today: no mark is ever dated after today). A
   * range from the first day of an academic year, say, starts with a whole week when the days before it are holidays.
   */
  private async wholeWeeks(from: string, to: string): Promise<{ first: string; last: string }> {
    const before = mondayOf(from) === from ? [] : daysFrom(mondayOf(from), addDays(from, -1));
    const after =
      isoWeekday(to) === 7 || to >= todayInLondon() ? [] : daysFrom(addDays(to, 1), addDays(mondayOf(to), 6));
    const marked = before.length || after.length ? await this.markedDays([...before, ...after]) : new Set<string>();
    return {
      first: before.some((day) => marked.has(day)) ? addDays(mondayOf(from), 7) : mondayOf(from),
      last: after.some((day) => marked.has(day)) ? addDays(mondayOf(to), -7) : mondayOf(to),
    };
  }

  /**
   * Which of these days hold a mark of any school. Shared while in flight: a weekly question asks it once for each of
   * its reads (England's, the regions', the LAs' and the schools' enrolments), the same days each time.
   */
  private markedDays(days: string[]): Promise<Set<string>> {
    return this.marking.share(days.join(','), () =>
      this.warehouse
        .query<{ day: string }>(
          "SELECT DISTINCT toString(date) AS day FROM la_daily FINAL WHERE topic = '' AND schools > 0 AND date IN {days:Array(Date)}",
          { days },
        )
        .then((rows) => new Set(rows.map((r) => r.day))),
    );
  }

  /** The term or half term that from-to is, whole or to date (no mark is ever dated after today). */
  private termOf(from: string, to: string): (TermSpan & { kind: 'term' | 'half_term' }) | undefined {
    const { terms, halfTerms } = this.config.termCalendar;
    const holds = (t: TermSpan) => t.from === from && (t.to === to || (to >= todayInLondon() && to < t.to));
    const term = terms.find(holds);
    if (term) return { ...term, kind: 'term' };
    const half = halfTerms.find(holds);
    return half && { ...half, kind: 'half_term' };
  }

  /** By term or half term: those that from-to holds whole (or to date) from their rows, the others per pupil. */
  private async termEnrolments(
    level: Level,
    frame: 'term' | 'half_term',
    filter: MeasuresFilter,
    breakdown?: Breakdown,
  ): Promise<EnrolmentCounts[]> {
    const spans = filter.termFroms!.map((from, i) => ({ from, to: filter.termTos![i] }));
    const whole = spans.filter((t) => t.from >= filter.from && (t.to <= filter.to || filter.to >= todayInLondon()));
    const cut = spans.filter((t) => !whole.includes(t));
    const { termFroms, termTos, ...areas } = filter;
    const parts = [
      whole.length
        ? this.periodEnrolments(level, frame, whole[0].from, whole.at(-1)!.from, areas, breakdown)
        : Promise.resolve([]),
      cut.length
        ? this.pupilEnrolments(
            level,
            frame,
            { ...filter, termFroms: cut.map((t) => t.from), termTos: cut.map((t) => t.to) },
            breakdown,
          )
        : Promise.resolve([]),
    ];
    return (await Promise.all(parts)).flat();
  }

  /**
   * Sums of la_enrolments (national, regional and LA figures) or school_enrolments for the periods starting from
   * `first` to `last`, by period start unless `bucket` says otherwise.
   */
  private periodEnrolments(
    level: Level,
    period: EnrolmentPeriod,
    first: string,
    last: string,
    filter: MeasuresFilter,
    breakdown?: Breakdown,
    bucket = period === 'year' ? "''" : 'toString(start)',
  ): Promise<EnrolmentCounts[]> {
    const area = byArea(level, filter);
    return this.warehouse.query<EnrolmentCounts>(
      `SELECT ${GEO[level]} AS geo, ${bucket} AS bucket, phase, cohort, ${area ? 'sum(schools)' : 'countIf(enrolments > 0)'} AS num_schools,
              sum(enrolments) AS enrolments, sum(persistent) AS persistent, sum(severe) AS severe
       FROM ${readOf('enrolments', area ? 'areas' : 'schools', 'period', breakdown !== undefined).rows}
         AND period = {period:String} AND start BETWEEN {first:Date} AND {last:Date} AND ${where(filter, false)}
       GROUP BY geo, bucket, phase, cohort
       HAVING sum(enrolments) > 0
       SETTINGS prefer_column_name_to_alias = 1, ${FINAL_BY_PARTITION}`,
      { ...params(filter), period, topic: breakdown ?? '', first, last },
    );
  }

  /**
   * Per enrolment, from its pupil's rows: a pupil whose characteristics changed counts under those of its last day with
   * a possible session. Over a period, the weeks before this one that it holds whole are read from pupil_weekly (a
   * pupil's week in one row, with the census values of that day) and its other days from pupil_daily: England's same
   * point last year (1 September to 7 December) is 14 rows a pupil rather than 65.
   */
  private async pupilEnrolments(
    level: Level,
    frame: Frame,
    filter: MeasuresFilter,
    breakdown?: Breakdown,
  ): Promise<EnrolmentCounts[]> {
    const whole = frame === 'period' && !filter.termFroms ? await this.wholeWeeks(filter.from, filter.to) : undefined;
    // Weeks before this one: this week's pupil_weekly rows are recomputed a few seconds after its days' roll-ups.
    const last = whole && minDate(whole.last, addDays(mondayOf(todayInLondon()), -7));
    const weeks = whole && last && whole.first <= last ? { first: whole.first, last } : undefined;
    const withBreakdown = breakdown !== undefined;
    const rows = [
      `SELECT ${GEO[level]} AS geo, ${BUCKET[frame]} AS bucket, urn, pupil_key, phase, ${cohortOf(breakdown)} AS census,
              possible, absent, if(possible > 0, date, toDate(0)) AS last_day
       FROM ${readOf('enrolments', 'pupils', 'day', withBreakdown).rows} AND ${where(filter)}
       ${weeks ? 'AND toMonday(date) NOT BETWEEN {first:Date} AND {last:Date}' : ''}`,
    ];
    if (weeks)
      rows.push(
        `SELECT ${GEO[level]}, '', urn, pupil_key, phase, ${cohortOf(breakdown)}, sessions, absences, last_day
         FROM ${readOf('enrolments', 'pupils', 'week', withBreakdown).rows}
           AND week BETWEEN {first:Date} AND {last:Date} AND ${where(filter, false)}`,
      );
    return this.warehouse.query<EnrolmentCounts>(
      `SELECT geo, bucket, phase, cohort, uniqExact(urn) AS num_schools, count() AS enrolments,
              countIf(absent_sessions * 10 >= possible_sessions) AS persistent,
              countIf(absent_sessions * 2 >= possible_sessions) AS severe
       FROM (SELECT geo, bucket, urn, any(phase) AS phase, argMaxIf(census, last_day, last_day != toDate(0)) AS cohort,
                    sum(possible) AS possible_sessions, sum(absent) AS absent_sessions
             FROM (${rows.join(' UNION ALL ')})
             GROUP BY geo, bucket, urn, pupil_key
             HAVING possible_sessions > 0)
       GROUP BY geo, bucket, phase, cohort
       SETTINGS ${FINAL_BY_PARTITION}`,
      { ...params(filter, breakdown), ...weeks },
    );
  }

  async latestDate(): Promise<string | null> {
    const [row] = await this.warehouse.query<{ d: string | null }>(
      'SELECT if(count() = 0, NULL, max(date)) AS d FROM school_daily',
    );
    return row?.d ?? null;
  }

  /** The latest day with marks and how many schools sent them (null before any), in one statement. */
  async latestDay(): Promise<{ date: string; schools: number } | null> {
    const [row] = await this.warehouse.query<{ date: string; schools: number }>(
      `SELECT date, uniqExact(urn) AS schools FROM school_daily
       WHERE date = (SELECT max(date) FROM school_daily) GROUP BY date`,
    );
    return row ? { date: row.date, schools: Number(row.schools) } : null;
  }
}
