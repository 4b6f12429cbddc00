import { Inject, Injectable } from '@nestjs/common';
import { academicYearEnd, academicYearStart, addDays, isoWeekday, mondayOf } from '../common/dates.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { TermSpan } from '../calendar/term-calendar.js';
import { RollupRepository } from './rollup.repository.js';
import { ROLLUPS, type PeriodSpan, type Rollup, type Slice, type Stage, type StageInput } from './catalogue.js';
import type { EnrolmentPeriod } from '../contract/vocabulary.js';

/**
 * (school, period) pairs recomputed by one statement at most: a statement's working set and its time grow with them, so
 * this bounds the engine's peak while a back-fill runs (docs/benchmarks.md, npm start).
 */
export const MAX_PAIRS = 1_000;

/**
 * Recomputes the roll-ups for exactly the given (school, date) slices, a stage of the catalogue at a time: idempotent,
 * any order, any repeat.
 */
@Injectable()
export class RollupService {
  private readonly spans: Record<'term' | 'half_term', TermSpan[]>;
  private readonly listeners = new Set<(dates: string[]) => void>();
  /** Each stage's statements run in this process since start, and their seconds (a metric: where roll-ups go). */
  readonly statements = new Map<string, { stage: Stage; statement: string; count: number; seconds: number }>();

  constructor(
    private readonly repository: RollupRepository,
    @Inject(APP_CONFIG) { termCalendar }: Pick<AppConfig, 'termCalendar'>,
  ) {
    this.spans = { term: termCalendar.terms, half_term: termCalendar.halfTerms };
  }

  /**
   * The stage's roll-ups of the slices, in the catalogue's order. A period's stage recomputes the periods of that kind
   * that hold the slices (none for a day outside every term, say), at most MAX_PAIRS (school, period) pairs a statement
   * (a year's slices of many days are one pair a school), then the LA sums of them all at once. Each statement's
   * version is taken just before it reads the rows it adds up: of two recomputations of one slice, the one that wins
   * has read every roll-up finished before the other's. `between` runs after each statement but the last (the worker's
   * daily roll-ups waiting meanwhile).
   */
  async recompute(stage: Stage, slices: Slice[], between?: () => Promise<void>): Promise<void> {
    const period: EnrolmentPeriod = stage === 'breakdowns' ? 'day' : stage;
    const pairs = new Map<string, { pair: [number, PeriodSpan]; slices: Slice[] }>();
    for (const slice of slices) {
      const span = this.periodOf(period, slice[1]);
      if (!span) continue;
      const key = `${slice[0]}|${span.start}`;
      const entry = pairs.get(key) ?? pairs.set(key, { pair: [slice[0], span], slices: [] }).get(key)!;
      entry.slices.push(slice);
    }
    if (!pairs.size) return;
    const rollups = ROLLUPS.filter((rollup) => rollup.stages[stage]);
    const all = [...pairs.values()];
    const inputOf = (chunk: typeof all): StageInput => ({
      slices: chunk.flatMap((c) => c.slices),
      period,
      pairs: chunk.map((c) => c.pair),
      terms: period === 'term' || period === 'half_term' ? this.spans[period] : [],
    });
    let first = true;
    const run = async (rollup: Rollup, input: StageInput) => {
      if (!first) await between?.();
      first = false;
      await this.timed(stage, rollup.statementIn?.[stage] ?? rollup.statement, rollup.stages[stage]!(input));
    };
    try {
      for (let i = 0; i < all.length; i += MAX_PAIRS) {
        const input = inputOf(all.slice(i, i + MAX_PAIRS));
        for (const rollup of rollups.filter((r) => !r.laSum)) await run(rollup, input);
      }
      const input = inputOf(all);
      for (const rollup of rollups.filter((r) => r.laSum)) await run(rollup, input);
    } finally {
      // Even a stage cut short may have rewritten some of its roll-ups.
      const dates = [...new Set(slices.map(([, date]) => date))];
      for (const listener of this.listeners) listener(dates);
    }
  }

  private async timed(stage: Stage, statement: string, params: Record<string, unknown>): Promise<void> {
    const t0 = performance.now();
    try {
      await this.repository.recompute(statement, params);
    } finally {
      const key = `${stage} ${statement}`;
      const tally = this.statements.get(key) ?? { stage, statement, count: 0, seconds: 0 };
      tally.count++;
      tally.seconds += (performance.now() - t0) / 1000;
      this.statements.set(key, tally);
    }
  }

  /**
   * Calls `listener` with the days of the slices each recomputation in this process rewrote, as soon as it is done
   * (workers in other processes report theirs through the queue's events).
   */
  onWritten(listener: (dates: string[]) => void): void {
    this.listeners.add(listener);
  }

  /**
   * The day, week, academic year, term or half term that holds a date (none for a term or half term outside them); for
   * 'weekday', that weekday's days of the academic year, which start on its first such day.
   */
  periodOf(period: EnrolmentPeriod, date: string): PeriodSpan | undefined {
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
