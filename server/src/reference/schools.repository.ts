import { Inject, Injectable } from '@nestjs/common';
import { WAREHOUSE, type Warehouse } from '../warehouse/warehouse.js';
import { LOCAL_AUTHORITIES } from './local-authorities.js';

export const SCHOOL_COLUMNS = [
  'urn', 'la_code', 'name', 'type_of_establishment', 'status', 'phase_of_education', 'phase', 'number_of_pupils',
  'percentage_fsm', 'trust_code', 'trust_name', 'lsoa', 'lsoa_name', 'msoa', 'msoa_name', 'ofsted_last_inspection', 'updated_at',
] as const;
export type SchoolRow = Record<(typeof SCHOOL_COLUMNS)[number], string | number | null>;

const URN_CACHE_MS = 10_000;

export interface SchoolArea {
  laCode: string;
  /** '' when the LA is not in the reference list. */
  regionCode: string;
}

@Injectable()
export class SchoolsRepository {
  private cached: { at: number; areas: Promise<ReadonlyMap<number, SchoolArea>> } | null = null;

  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  async upsert(rows: SchoolRow[]): Promise<void> {
    const body = rows.map((r) => JSON.stringify(r)).join('\n');
    await this.warehouse.insert('schools', SCHOOL_COLUMNS, Buffer.from(body), 'JSONEachRow');
    this.cached = null;
  }

  /**
   * Every school in the reference data, with its LA and region, cached briefly (another instance may have uploaded
   * since); callers meanwhile share one query.
   */
  areas(): Promise<ReadonlyMap<number, SchoolArea>> {
    if (!this.cached || Date.now() - this.cached.at > URN_CACHE_MS) {
      const areas = this.warehouse
        .query<{ urn: number; la_code: string; region_code: string }>(
          `SELECT s.urn AS urn, s.la_code AS la_code, la.region_code AS region_code
           FROM (SELECT urn, la_code FROM schools FINAL) AS s LEFT JOIN local_authorities AS la ON la.la_code = s.la_code`,
        )
        .then((rows) => new Map(rows.map((r) => [r.urn, { laCode: r.la_code, regionCode: r.region_code }])));
      this.cached = { at: Date.now(), areas };
      areas.catch(() => this.cached?.areas === areas && (this.cached = null));
    }
    return this.cached.areas;
  }

  async find(urn: number): Promise<{ la_code: string; trust_code: string } | null> {
    const [row] = await this.warehouse.query<{ la_code: string; trust_code: string }>(
      'SELECT la_code, trust_code FROM schools FINAL WHERE urn = {urn:UInt32}',
      { urn },
    );
    return row ?? null;
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
