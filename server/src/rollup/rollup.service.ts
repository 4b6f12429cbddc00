import { Inject, Injectable } from '@nestjs/common';
import { academicYearEnd, academicYearStart, addDays, isoWeekday, mondayOf, monthOf } from '../common/dates.js';
import { BREAKDOWN_NAMES, BREAKDOWNS } from '../measures/breakdowns.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { TermSpan } from '../reference/term-calendar.js';
import { sqlQuery } from '../warehouse/migrations.js';
import { versionTimestamp, WAREHOUSE, type Warehouse } from '../warehouse/warehouse.js';
import type { RollupJob } from './rollup.types.js';

/**
 * Recomputes the roll-ups for exactly the given (school, date) slices: idempotent, any order, any repeat. Its queries
 * run in the warehouse's background lane: requests and pushes go first.
 */
@Injectable()
export class RollupService {
  private readonly spans: Record<'term' | 'half_term', TermSpan[]>;

  constructor(
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
    @Inject(APP_CONFIG) { termCalendar }: Pick<AppConfig, 'termCalendar'>,
  ) {
    this.spans = { term: termCalendar.terms, half_term: termCalendar.halfTerms };
  }

  /**
   * The daily roll-ups of the slices, their days' enrolment counts and their days' LA sums: everything a day's figures
   * for all pupils (and the live push) read. Breakdowns and months (`recomputeCohortsAndMonths`) and weeks' and years'
   * counts (`recomputeEnrolments`) follow.
   */
  async recomputeDays(slices: RollupJob['slices']): Promise<void> {
    if (!slices.length) return;
    const params = sliceParams(slices);
    await this.warehouse.command(await sqlQuery('rollup_school_daily'), params, 'background');
    await this.warehouse.command(await sqlQuery('rollup_pupil_daily'), params, 'background');
    await this.recomputeEnrolments('day', slices);
    await this.warehouse.command(await sqlQuery('rollup_la_daily'), { topics: [''], dates: params.dates, computed_at: versionTimestamp() }, 'background');
  }

  /**
   * The slices' session counts by each breakdown (school_cohort_daily) from their latest marks, their days' LA sums by
   * breakdown, then their months' LA sums, all pupils and by breakdown (la_monthly, which past months' figures read).
   * Each version is taken just before the rows it adds up are read, as for the enrolment counts.
   */
  async recomputeCohortsAndMonths(slices: RollupJob['slices']): Promise<void> {
    if (!slices.length) return;
    const params = sliceParams(slices);
    await this.warehouse.command(await sqlQuery('rollup_school_cohort_daily'), { ...params, ...BREAKDOWN_GRID, ...BREAKDOWN_VALUES }, 'background');
    await this.warehouse.command(await sqlQuery('rollup_la_daily'), { topics: BREAKDOWN_NAMES, dates: params.dates, computed_at: versionTimestamp() }, 'background');
    const months = [...new Set(params.dates.map(monthOf))];
    await this.warehouse.command(await sqlQuery('rollup_la_monthly'), { topics: ['', ...BREAKDOWN_NAMES], months, computed_at: versionTimestamp() }, 'background');
  }

  /**
   * The enrolment counts of the schools for the periods of one kind that hold these (school, date) pairs, from their
   * daily roll-ups (for a week, first its pupils' sums in pupil_weekly, which the longer periods read for the weeks
   * they hold whole), then those periods' LA sums. The version is taken just before the roll-ups are read, so of two
   * recomputations of one school-period the one that wins has read every roll-up finished before the other's.
   */
  async recomputeEnrolments(period: Period, slices: RollupJob['slices']): Promise<void> {
    const pairs = new Map<string, [number, PeriodSpan]>();
    for (const [urn, date] of slices) {
      const span = this.periodOf(period, date);
      if (span) pairs.set(`${urn}|${span.start}`, [urn, span]);
    }
    if (!pairs.size) return;
    const spans = new Map([...pairs.values()].map(([, span]) => [span.start, span]));
    const urns = [...new Set([...pairs.values()].map(([urn]) => urn))];
    const slice = { slice_urns: [...pairs.values()].map(([urn]) => urn), slice_starts: [...pairs.values()].map(([, span]) => span.start) };
    if (period === 'week') {
      const weeks = [...spans.keys()].sort();
      await this.warehouse.command(await sqlQuery('rollup_pupil_weekly'), { urns, from: weeks[0], to: addDays(weeks.at(-1)!, 6), ...slice, computed_at: versionTimestamp() }, 'background');
    }
    const reads = [...spans.values()].map((span) => readsOf(period, span));
    const terms = period === 'term' || period === 'half_term' ? this.spans[period] : [];
    await this.warehouse.command(await sqlQuery('rollup_school_enrolments'), {
      period,
      urns,
      weeks: [...new Set(reads.flatMap((r) => r.weeks))],
      days: [...new Set(reads.flatMap((r) => r.days))],
      ...slice,
      term_froms: terms.map((t) => t.from),
      term_tos: terms.map((t) => t.to),
      grid_topics: ['', ...BREAKDOWN_GRID.grid_topics],
      grid_cohorts: ['', ...BREAKDOWN_GRID.grid_cohorts],
      ...BREAKDOWN_VALUES,
      computed_at: versionTimestamp(),
    }, 'background');
    await this.warehouse.command(await sqlQuery('rollup_la_enrolments'), { period, starts: [...spans.keys()], computed_at: versionTimestamp() }, 'background');
  }

  /** Whether the warehouse answers at all: after a failed roll-up, whether the fault is in its slices or the engine. */
  async answers(): Promise<boolean> {
    return this.warehouse.query('SELECT 1', {}, 'background').then(() => true, () => false);
  }

  /**
   * The day, week, academic year, term or half term that holds a date (none for a term or half term outside them); for
   * 'weekday', that weekday's days of the academic year, which start on its first such day.
   */
  periodOf(period: Period, date: string): PeriodSpan | undefined {
    if (period === 'day') return { start: date, end: date };
    if (period === 'week') return { start: mondayOf(date), end: addDays(mondayOf(date), 6) };
    if (period === 'year') return { start: academicYearStart(date), end: academicYearEnd(date) };
    if (period === 'weekday') {
      const year = academicYearStart(date);
      return { start: addDays(year, (isoWeekday(date) - isoWeekday(year) + 7) % 7), end: academicYearEnd(date) };
    }
    const span = this.spans[period].find((t) => t.from <= date && date <= t.to);
    return span && { start: span.from, end: span.to };
  }
}

/**
 * The periods school_enrolments holds: every one that a dashboard question can ask for whole ('weekday': one weekday's
 * days of an academic year, the day-of-week pattern).
 */
export const PERIODS = ['day', 'week', 'year', 'term', 'half_term', 'weekday'] as const;
export type Period = (typeof PERIODS)[number];
export interface PeriodSpan {
  start: string;
  end: string;
}

/**
 * What a period's enrolment counts read: the Mondays of the weeks it holds whole, from pupil_weekly (a day or a weekday's
 * days have none), and its other days, from pupil_daily (a year's days before its first Monday and after its last whole
 * week; a weekday's days of the year).
 */
function readsOf(period: Period, span: PeriodSpan): { weeks: string[]; days: string[] } {
  const weeks: string[] = [];
  const days: string[] = [];
  for (let day = span.start; day <= span.end; ) {
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

/** The daily roll-up queries' parameters: the slices' schools and dates (for the index), the pairs, and the version. */
function sliceParams(slices: RollupJob['slices']) {
  return {
    urns: [...new Set(slices.map(([urn]) => urn))],
    dates: [...new Set(slices.map(([, date]) => date))],
    slice_urns: slices.map(([urn]) => urn),
    slice_dates: slices.map(([, date]) => date),
    computed_at: versionTimestamp(),
  };
}

/** Every (topic, cohort) pair of the breakdowns: each value with a label, and '' for unclassified. */
const GRID = BREAKDOWN_NAMES.flatMap((name) => ['', ...Object.keys(BREAKDOWNS[name].labels)].map((cohort) => [name, cohort]));
const BREAKDOWN_GRID = { grid_topics: GRID.map(([topic]) => topic), grid_cohorts: GRID.map(([, cohort]) => cohort) };
/** The labelled values of each breakdown, as the roll-up queries' parameters (fsm: ['Y', 'N'], ...). */
const BREAKDOWN_VALUES = Object.fromEntries(BREAKDOWN_NAMES.map((name) => [name, Object.keys(BREAKDOWNS[name].labels)]));
