import { Inject, Injectable } from '@nestjs/common';
import { academicYearEnd, academicYearStart, addDays, mondayOf } from '../../server/src/common/dates.js';
import { BREAKDOWN_NAMES, BREAKDOWNS } from '../../server/src/measures/breakdowns.js';
import { sqlQuery } from '../../server/src/warehouse/migrations.js';
import { versionTimestamp, WAREHOUSE, type Warehouse } from '../../server/src/warehouse/warehouse.js';
import type { RollupJob } from './rollup.types.js';

/** Recomputes the roll-ups for exactly the given (school, date) slices: idempotent, any order, any repeat. */
@Injectable()
export class RollupService {
  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  /**
   * The daily roll-ups of the slices and their days' enrolment counts: everything a day's figures for all pupils (and
   * the live push) read. Breakdowns (`recomputeCohorts`) and weeks' and years' counts (`recomputeEnrolments`) follow.
   */
  async recomputeDays(slices: RollupJob['slices']): Promise<void> {
    if (!slices.length) return;
    const params = sliceParams(slices);
    await this.warehouse.command(await sqlQuery('rollup_school_daily'), params);
    await this.warehouse.command(await sqlQuery('rollup_pupil_daily'), params);
    await this.recomputeEnrolments('day', slices);
  }

  /** The slices' session counts by each breakdown (school_cohort_daily), from their latest marks. */
  async recomputeCohorts(slices: RollupJob['slices']): Promise<void> {
    await this.warehouse.command(await sqlQuery('rollup_school_cohort_daily'), { ...sliceParams(slices), ...BREAKDOWN_GRID, ...BREAKDOWN_VALUES });
  }

  /**
   * The enrolment counts of the schools for the periods (day, week or academic year) that hold these (school, date)
   * pairs, from their daily roll-ups. The version is taken just before the daily roll-ups are read, so of two
   * recomputations of one school-period the one that wins has read every daily roll-up finished before the other's.
   */
  async recomputeEnrolments(period: Period, slices: RollupJob['slices']): Promise<void> {
    const pairs = new Map<string, [number, string]>();
    for (const [urn, date] of slices) {
      const start = periodStart(period, date);
      pairs.set(`${urn}|${start}`, [urn, start]);
    }
    const starts = [...new Set([...pairs.values()].map(([, start]) => start))].sort();
    await this.warehouse.command(await sqlQuery('rollup_school_enrolments'), {
      period,
      urns: [...new Set(slices.map(([urn]) => urn))],
      from: starts[0],
      to: periodEnd(period, starts.at(-1)!),
      slice_urns: [...pairs.values()].map(([urn]) => urn),
      slice_starts: [...pairs.values()].map(([, start]) => start),
      grid_topics: ['', ...BREAKDOWN_GRID.grid_topics],
      grid_cohorts: ['', ...BREAKDOWN_GRID.grid_cohorts],
      ...BREAKDOWN_VALUES,
      computed_at: versionTimestamp(),
    });
  }
}

export type Period = 'day' | 'week' | 'year';

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

export function periodStart(period: Period, date: string): string {
  if (period === 'day') return date;
  if (period === 'week') return mondayOf(date);
  return academicYearStart(date);
}

function periodEnd(period: Period, start: string): string {
  if (period === 'day') return start;
  if (period === 'week') return addDays(start, 6);
  return academicYearEnd(start);
}
