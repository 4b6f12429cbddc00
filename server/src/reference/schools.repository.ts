import { Inject, Injectable } from '@nestjs/common';
import { WAREHOUSE, type Warehouse } from '../warehouse/warehouse.js';
import type { SchoolSummary } from '../api-contract.js';
import { LOCAL_AUTHORITIES } from './local-authorities.js';

export const SCHOOL_COLUMNS = [
  'urn', 'la_code', 'name', 'type_of_establishment', 'status', 'phase_of_education', 'phase', 'number_of_pupils',
  'percentage_fsm', 'trust_code', 'trust_name', 'lsoa', 'lsoa_name', 'msoa', 'msoa_name', 'ofsted_last_inspection', 'updated_at',
] as const;
export type SchoolRow = Record<(typeof SCHOOL_COLUMNS)[number], string | number | null>;

const REGISTER_CACHE_MS = 10_000;

/** A school of the register (GIAS), with its LA's region ('' when the LA is not in the reference list). */
export type RegisteredSchool = SchoolSummary & { regionCode: string };

@Injectable()
export class SchoolsRepository {
  private cached: { at: number; register: Promise<ReadonlyMap<number, RegisteredSchool>> } | null = null;

  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  async upsert(rows: SchoolRow[]): Promise<void> {
    const body = rows.map((r) => JSON.stringify(r)).join('\n');
    await this.warehouse.insert('schools', SCHOOL_COLUMNS, Buffer.from(body), 'JSONEachRow');
    this.cached = null;
  }

  /**
   * Every school in the register, by URN, cached briefly (another instance may have uploaded since); callers meanwhile
   * share one query. Who a school is, where and in which trust: every lookup of the register reads this.
   */
  register(): Promise<ReadonlyMap<number, RegisteredSchool>> {
    if (!this.cached || Date.now() - this.cached.at > REGISTER_CACHE_MS) {
      const register = this.warehouse
        .query<RegisteredSchool>(
          `SELECT s.urn AS urn, s.name AS name, s.la_code AS laCode, la.la_name AS laName, la.region_code AS regionCode, s.phase AS phase,
                  s.type_of_establishment AS type, s.trust_code AS trustCode, s.trust_name AS trustName,
                  if(isNull(s.ofsted_last_inspection), NULL, toString(s.ofsted_last_inspection)) AS ofstedLastInspection
           FROM (SELECT * FROM schools FINAL) AS s LEFT JOIN local_authorities AS la ON la.la_code = s.la_code`,
        )
        .then((rows) => new Map(rows.map((r) => [r.urn, r])));
      this.cached = { at: Date.now(), register };
      register.catch(() => this.cached?.register === register && (this.cached = null));
    }
    return this.cached.register;
  }

  async countOpen(): Promise<number> {
    const [row] = await this.warehouse.query<{ n: number }>(
      "SELECT count() AS n FROM schools FINAL WHERE status IN ('Open', 'Open, but proposed to close')",
    );
    return row.n;
  }

  /** The LA table the roll-ups join for region codes: replaced from the committed reference file at start. */
  async loadLocalAuthorities(): Promise<void> {
    await this.warehouse.command('TRUNCATE TABLE local_authorities');
    const rows = LOCAL_AUTHORITIES.map((la) =>
      JSON.stringify({ la_code: la.code, new_la_code: la.gss, la_name: la.name, region_code: la.regionCode, region_name: la.regionName }),
    );
    await this.warehouse.insert('local_authorities', ['la_code', 'new_la_code', 'la_name', 'region_code', 'region_name'], Buffer.from(rows.join('\n')), 'JSONEachRow');
  }
}
