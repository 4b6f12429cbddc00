import { Inject, Injectable } from '@nestjs/common';
import { versionTimestamp, WAREHOUSE, type Warehouse } from '../warehouse/warehouse.js';
import type { LaTarget, TargetCohort } from '../contract/api.js';

export interface HomeAreaCounts {
  lsoa: string;
  pupils: number;
  possible: number;
  absent: number;
  persistent: number;
  /** The schools whose pupils live there. */
  urns: number[];
}

/** Where GIAS places an LSOA: its MSOA's code and name and its own name ('' where not known). */
export interface HomeAreaPlace {
  msoa: string;
  msoa_name: string;
  lsoa_name: string;
}

/** What the LA workspace reads beyond the measures and the school list: pupils' home areas and the LA's own targets. */
@Injectable()
export class WorkspaceRepository {
  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  /** URNs of the LA's schools that sent a register for this date. */
  async submitted(laCode: string, date: string): Promise<Set<number>> {
    const rows = await this.warehouse.query<{ urn: number }>(
      'SELECT DISTINCT urn FROM school_daily WHERE la_code = {laCode:String} AND date = {date:Date}',
      { laCode, date },
    );
    return new Set(rows.map((r) => r.urn));
  }

  /**
   * Compulsory-age pupils of the LA's schools by home LSOA (their latest in the period): enrolments, sessions and
   * persistent absentees (>= 10% of possible sessions), as the measures count them.
   */
  homeAreas(laCode: string, from: string, to: string): Promise<HomeAreaCounts[]> {
    return this.warehouse.query<HomeAreaCounts>(
      `SELECT home AS lsoa, count() AS pupils, sum(possible_sessions) AS possible, sum(absent_sessions) AS absent,
              countIf(absent_sessions * 10 >= possible_sessions) AS persistent,
              groupUniqArray(urn) AS urns
       FROM (
         SELECT urn, pupil_key, argMax(lsoa, date) AS home, sum(possible) AS possible_sessions, sum(absent) AS absent_sessions
         FROM pupil_daily FINAL
         WHERE counted AND la_code = {laCode:String} AND date BETWEEN {from:Date} AND {to:Date}
         GROUP BY urn, pupil_key
         HAVING possible_sessions > 0
       )
       GROUP BY home
       SETTINGS do_not_merge_across_partitions_select_final = 1`,
      { laCode, from, to },
    );
  }

  /**
   * Where the school list (GIAS) places each LSOA: the MSOA code its schools give (the one most of them give), that
   * MSOA's name as the schools of the list give it (the most given; schools elsewhere in the MSOA count too), and the
   * LSOA's own name. Empty where GIAS says nothing: nothing is made up.
   */
  async areasOf(lsoas: string[]): Promise<Map<string, HomeAreaPlace>> {
    const rows = await this.warehouse.query<HomeAreaPlace & { lsoa: string }>(
      `SELECT l.lsoa AS lsoa, l.msoa AS msoa, m.msoa_name AS msoa_name, l.lsoa_name AS lsoa_name
       FROM (
         SELECT lsoa, argMax(msoa, (msoa != '', schools, msoa)) AS msoa, max(lsoa_name) AS lsoa_name
         FROM (
           SELECT lsoa, msoa, max(lsoa_name) AS lsoa_name, count() AS schools
           FROM schools FINAL WHERE lsoa IN {lsoas:Array(String)} GROUP BY lsoa, msoa
         )
         GROUP BY lsoa
       ) AS l
       LEFT JOIN (
         SELECT msoa, argMax(msoa_name, (schools, msoa_name)) AS msoa_name
         FROM (SELECT msoa, msoa_name, count() AS schools FROM schools FINAL WHERE msoa != '' AND msoa_name != '' GROUP BY msoa, msoa_name)
         GROUP BY msoa
       ) AS m ON m.msoa = l.msoa`,
      { lsoas },
    );
    return new Map(rows.map(({ lsoa, ...place }) => [lsoa, place]));
  }

  async targets(laCode: string): Promise<LaTarget[]> {
    const rows = await this.warehouse.query<{
      cohort: TargetCohort;
      attendance: number;
      set_by: string;
      updated_at: string;
    }>(
      'SELECT cohort, attendance, set_by, toString(updated_at) AS updated_at FROM la_targets FINAL WHERE la_code = {laCode:String} ORDER BY cohort',
      { laCode },
    );
    return rows.map((r) => ({ cohort: r.cohort, attendance: r.attendance, setBy: r.set_by, updatedAt: r.updated_at }));
  }

  async setTarget(laCode: string, cohort: TargetCohort, attendance: number, setBy: string): Promise<void> {
    const row = { la_code: laCode, cohort, attendance, set_by: setBy, updated_at: versionTimestamp() };
    await this.warehouse.insert('la_targets', Object.keys(row), Buffer.from(JSON.stringify(row)), 'JSONEachRow');
  }
}
