import { Inject, Injectable } from '@nestjs/common';
import { sqlQuery } from '../warehouse/migrations.js';
import { WAREHOUSE, type QueryParams, type Warehouse } from '../warehouse/warehouse.js';
import { ROLLUPS } from './catalogue.js';

/** A (school, date) slice whose marks arrived after its roll-ups were computed. */
export interface StaleSlice {
  urn: number;
  date: string;
  /** When its latest marks arrived. */
  received: string;
  /** Seconds since the oldest stale slice's marks arrived (the same on every row). */
  lag: number;
}

/**
 * The reconciliation's query: sql/queries/reconcile_stale_slices.sql with a join for each staleness check of the
 * catalogue. Each gives when a school's rows (by urn and their key) were last computed, or the zero time where the LA
 * sums made of them are older (than the rows, or than `until` where the rows are newer: sums recomputed a few seconds
 * after the rows are not behind). Each roll-up is read only for the days (or periods) of the marks in question.
 */
async function staleSlicesQuery(): Promise<string> {
  const checks = ROLLUPS.flatMap((rollup) => rollup.stale);
  const joins = checks.map(({ period, rows, key, sums }, i) => {
    const computed = sums
      ? `SELECT s.urn AS urn, s.${key} AS ${key}, if(a.computed < least(s.computed, {until:DateTime64(6)}), toDateTime64(0, 6), s.computed) AS computed
         FROM (SELECT urn, ${key}, max(computed_at) AS computed FROM ${rows} GROUP BY urn, ${key}) AS s
         LEFT JOIN (${sums}) AS a ON a.${key} = s.${key}`
      : `SELECT urn, ${key}, max(computed_at) AS computed FROM ${rows} GROUP BY urn, ${key}`;
    return `LEFT JOIN (${computed}) AS r${i} ON r${i}.urn = m.urn AND r${i}.${key} = m.${period}`;
  });
  const stale = checks.map(({ period }, i) => `(m.${period} != toDate(0) AND r${i}.computed < m.received)`);
  return (await sqlQuery('reconcile_stale_slices'))
    .replace('{{joins}}', joins.join('\n'))
    .replace('{{stale}}', stale.join(' OR '));
}

/**
 * The roll-ups' writes and the reconciler's reads, all in the warehouse's background lane: requests and pushes go
 * first.
 */
@Injectable()
export class RollupRepository {
  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  /** Runs a roll-up's statement (sql/queries) with its parameters. */
  async recompute(statement: string, params: QueryParams): Promise<void> {
    await this.warehouse.command(await sqlQuery(statement), params, 'background');
  }

  /** The days of the marks received in [since, until) (DateTime64 strings). */
  async markDates(window: { since: string; until: string }): Promise<string[]> {
    const rows = await this.warehouse.query<{ date: string }>(
      'SELECT DISTINCT toString(date) AS date FROM marks WHERE received_at < {until:DateTime64(6)} AND received_at >= {since:DateTime64(6)}',
      window,
      'background',
    );
    return rows.map((r) => r.date);
  }

  /** The slices of those marks that are stale, oldest first (the parameters: staleSlicesQuery's and the periods'). */
  async staleSlices(params: QueryParams): Promise<StaleSlice[]> {
    return this.warehouse.query<StaleSlice>(await staleSlicesQuery(), params, 'background');
  }
}
