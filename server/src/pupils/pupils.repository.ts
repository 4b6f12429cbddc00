import { Inject, Injectable } from '@nestjs/common';
import { WAREHOUSE, type Warehouse } from '../warehouse/warehouse.js';

export interface PupilCounts {
  urn: number;
  pupil_key: string;
  year_group: string;
  sex: string;
  fsm: string;
  sen: string;
  eal: string;
  ethnicity: string;
  cin: string;
  cla: string;
  counted: number;
  possible_sessions: number;
  absent_sessions: number;
  recent_possible: number;
  recent_absent: number;
}

/** What the support pack adds to a pupil's counts: its codes, its weekdays, the four weeks before the last four. */
export interface PupilDetails {
  pupil_key: string;
  period_reasons: Record<string, number>;
  recent_reasons: Record<string, number>;
  previous_possible: number;
  previous_absent: number;
  /** Before the last meeting (`since`). */
  then_possible: number;
  then_absent: number;
  /** Sessions by ISO weekday, Monday first. */
  weekday_possible: number[];
  weekday_absent: number[];
}

/** Pupil-level reads: only for users with pupil-level rights to the schools, or counted for the early warning. */
@Injectable()
export class PupilsRepository {
  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  /**
   * Each pupil's sessions at each of the schools in the period (latest characteristics), and those since `recentFrom`.
   */
  counts(urns: number[], from: string, to: string, recentFrom: string): Promise<PupilCounts[]> {
    return this.warehouse.query<PupilCounts>(
      `SELECT urn, pupil_key, argMax(year_group, date) AS year_group, argMax(sex, date) AS sex, argMax(fsm, date) AS fsm,
              argMax(sen, date) AS sen, argMax(eal, date) AS eal, argMax(ethnicity, date) AS ethnicity,
              argMax(cin, date) AS cin, argMax(cla, date) AS cla, argMax(counted, date) AS counted,
              sum(possible) AS possible_sessions, sum(absent) AS absent_sessions,
              sumIf(possible, date >= {recentFrom:Date}) AS recent_possible, sumIf(absent, date >= {recentFrom:Date}) AS recent_absent
       FROM pupil_daily FINAL
       WHERE urn IN {urns:Array(UInt32)} AND date BETWEEN {from:Date} AND {to:Date}
       GROUP BY urn, pupil_key
       HAVING possible_sessions > 0
       SETTINGS do_not_merge_across_partitions_select_final = 1`,
      { urns, from, to, recentFrom },
    );
  }

  /**
   * Each pupil's sessions at the school in the period by register code (and since `recentFrom`), by weekday, in the
   * four weeks before `recentFrom` (from `previousFrom`) and before `since`.
   */
  details(
    urn: number,
    p: { from: string; to: string; recentFrom: string; previousFrom: string; since: string },
  ): Promise<PupilDetails[]> {
    return this.warehouse.query<PupilDetails>(
      `SELECT pupil_key, sumMap(reasons) AS period_reasons, sumMapIf(reasons, date >= {recentFrom:Date}) AS recent_reasons,
              sumIf(possible, date >= {previousFrom:Date} AND date < {recentFrom:Date}) AS previous_possible,
              sumIf(absent, date >= {previousFrom:Date} AND date < {recentFrom:Date}) AS previous_absent,
              sumIf(possible, date < {since:Date}) AS then_possible, sumIf(absent, date < {since:Date}) AS then_absent,
              sumForEach(arrayMap(d -> if(toDayOfWeek(date) = d, toUInt32(possible), 0), range(1, 8))) AS weekday_possible,
              sumForEach(arrayMap(d -> if(toDayOfWeek(date) = d, toUInt32(absent), 0), range(1, 8))) AS weekday_absent
       FROM pupil_daily FINAL
       WHERE urn = {urn:UInt32} AND date BETWEEN {from:Date} AND {to:Date}
       GROUP BY pupil_key
       SETTINGS do_not_merge_across_partitions_select_final = 1`,
      { urn, ...p },
    );
  }

  async identities(keys: string[]): Promise<Map<string, string>> {
    const rows = await this.warehouse.query<{ pupil_key: string; upn_encrypted: string }>(
      `SELECT pupil_key, argMax(upn_encrypted, updated_at) AS upn_encrypted
       FROM pupil_identities WHERE pupil_key IN {keys:Array(String)} GROUP BY pupil_key`,
      { keys },
    );
    return new Map(rows.map((r) => [r.pupil_key, r.upn_encrypted]));
  }

  /** The encrypted names this school sent for these pupils (a school's own: never another school's). */
  async names(urn: number, keys: string[]): Promise<Map<string, string>> {
    const rows = await this.warehouse.query<{ pupil_key: string; name_encrypted: string }>(
      `SELECT pupil_key, argMax(name_encrypted, updated_at) AS name_encrypted
       FROM pupil_names WHERE urn = {urn:UInt32} AND pupil_key IN {keys:Array(String)} GROUP BY pupil_key`,
      { urn, keys },
    );
    return new Map(rows.map((r) => [r.pupil_key, r.name_encrypted]));
  }
}
