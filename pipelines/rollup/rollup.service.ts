import { Inject, Injectable } from '@nestjs/common';
import { sqlQuery } from '../../server/src/warehouse/migrations.js';
import { versionTimestamp, WAREHOUSE, type Warehouse } from '../../server/src/warehouse/warehouse.js';
import type { RollupJob, RollupResult } from './rollup.types.js';

/** Recomputes the daily roll-ups for exactly the given (school, date) slices: idempotent, any order, any repeat. */
@Injectable()
export class RollupService {
  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  async recompute(slices: RollupJob['slices']): Promise<RollupResult> {
    if (!slices.length) return { changed: [] };
    const urns = [...new Set(slices.map(([urn]) => urn))];
    const dates = [...new Set(slices.map(([, date]) => date))];
    const params = {
      urns,
      dates,
      slice_urns: slices.map(([urn]) => urn),
      slice_dates: slices.map(([, date]) => date),
      computed_at: versionTimestamp(),
    };
    await this.warehouse.command(await sqlQuery('rollup_school_daily'), params);
    await this.warehouse.command(await sqlQuery('rollup_pupil_daily'), params);
    const areas = await this.warehouse.query<{ urn: number; la_code: string; region_code: string }>(
      `SELECT s.urn AS urn, s.la_code AS la_code, la.region_code AS region_code
       FROM (SELECT urn, la_code FROM schools FINAL WHERE urn IN {urns:Array(UInt32)}) AS s
       LEFT JOIN local_authorities AS la ON la.la_code = s.la_code`,
      { urns },
    );
    const byUrn = new Map(areas.map((a) => [a.urn, a]));
    return {
      changed: slices.map(([urn, date]) => ({ urn, date, laCode: byUrn.get(urn)?.la_code ?? '', regionCode: byUrn.get(urn)?.region_code ?? '' })),
    };
  }
}
