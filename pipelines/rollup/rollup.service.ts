import { Inject, Injectable } from '@nestjs/common';
import { academicYearStart, addDays } from '../../server/src/common/dates.js';
import { sqlQuery } from '../../server/src/warehouse/migrations.js';
import { versionTimestamp, WAREHOUSE, type Warehouse } from '../../server/src/warehouse/warehouse.js';
import type { RollupJob, RollupResult } from './rollup.types.js';

/** Recomputes the roll-ups for exactly the given (school, date) slices: idempotent, any order, any repeat. */
@Injectable()
export class RollupService {
  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  /** The daily roll-ups of the slices, then the year roll-ups of their schools (`years: false` leaves those to the caller). */
  async recompute(slices: RollupJob['slices'], { years = true } = {}): Promise<RollupResult> {
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
    if (years) {
      const schoolsByYear = new Map<string, Set<number>>();
      for (const [urn, date] of slices) {
        const start = academicYearStart(date);
        if (!schoolsByYear.has(start)) schoolsByYear.set(start, new Set());
        schoolsByYear.get(start)!.add(urn);
      }
      for (const [start, schools] of schoolsByYear) await this.recomputeYear([...schools], start);
    }
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

  /**
   * The year roll-up (pupil_year) of these schools for the academic year starting `start` (YYYY-09-01), from their
   * daily roll-ups. Its version is taken just before it reads them, so of two concurrent recomputations the one that
   * wins has read every daily roll-up finished before the other's.
   */
  async recomputeYear(urns: number[], start: string): Promise<void> {
    if (!urns.length) return;
    const end = addDays(`${Number(start.slice(0, 4)) + 1}-09-01`, -1);
    await this.warehouse.command(await sqlQuery('rollup_pupil_year'), { urns, academic_year: Number(start.slice(0, 4)), from: start, to: end, computed_at: versionTimestamp() });
  }
}
