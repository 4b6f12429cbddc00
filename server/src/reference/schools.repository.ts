import { Inject, Injectable } from '@nestjs/common';
import { WAREHOUSE, type Warehouse } from '../warehouse/warehouse.js';
import { LOCAL_AUTHORITIES } from './local-authorities.js';

export const SCHOOL_COLUMNS = [
  'urn', 'la_code', 'name', 'type_of_establishment', 'status', 'phase_of_education', 'phase', 'number_of_pupils',
  'percentage_fsm', 'trust_code', 'trust_name', 'lsoa', 'lsoa_name', 'msoa', 'msoa_name', 'ofsted_last_inspection', 'updated_at',
] as const;
export type SchoolRow = Record<(typeof SCHOOL_COLUMNS)[number], string | number | null>;

const URN_CACHE_MS = 10_000;

@Injectable()
export class SchoolsRepository {
  private urns: { at: number; set: Set<number> } | null = null;

  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  async upsert(rows: SchoolRow[]): Promise<void> {
    const body = rows.map((r) => JSON.stringify(r)).join('\n');
    await this.warehouse.insert('schools', SCHOOL_COLUMNS, Buffer.from(body), 'JSONEachRow');
    this.urns = null;
  }

  /** URNs in the reference data, cached briefly (another instance may have uploaded since). */
  async knownUrns(): Promise<Set<number>> {
    if (!this.urns || Date.now() - this.urns.at > URN_CACHE_MS) {
      const rows = await this.warehouse.query<{ urn: number }>('SELECT urn FROM schools FINAL');
      this.urns = { at: Date.now(), set: new Set(rows.map((r) => r.urn)) };
    }
    return this.urns.set;
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
