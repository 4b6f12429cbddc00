import { Inject, Injectable } from '@nestjs/common';
import { WAREHOUSE, type Warehouse } from '../warehouse/warehouse.js';
import { LOCAL_AUTHORITIES } from './local-authorities.js';
import type { SchoolSummary } from '../contract/api.js';

export const SCHOOL_COLUMNS = [
  'urn',
  'la_code',
  'name',
  'type_of_establishment',
  'status',
  'phase_of_education',
  'phase',
  'number_of_pupils',
  'percentage_fsm',
  'trust_code',
  'trust_name',
  'lsoa',
  'lsoa_name',
  'msoa',
  'msoa_name',
  'ofsted_last_inspection',
  'updated_at',
] as const;
export type SchoolRow = Record<(typeof SCHOOL_COLUMNS)[number], string | number | null>;

/** The school list is read again once its copy is older than this; meanwhile callers get the copy they have... */
const LIST_FRESH_MS = 10_000;
/** ...unless it is older than this (another instance may have uploaded since): then they wait for the new one. */
const LIST_STALE_MS = 60_000;

/** A school of the school list (GIAS), with its LA's region ('' when the LA is not in the reference list). */
export type ListedSchool = SchoolSummary & { regionCode: string };
export type SchoolList = ReadonlyMap<number, ListedSchool>;

/** GIAS's statuses of a school that is open: the register's schools counted against registers received. */
const OPEN = "status IN ('Open', 'Open, but proposed to close')";

@Injectable()
export class SchoolsRepository {
  private copy: { at: number; schools: SchoolList } | null = null;
  private reading: Promise<SchoolList> | null = null;

  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  async upsert(rows: SchoolRow[]): Promise<void> {
    const body = rows.map((r) => JSON.stringify(r)).join('\n');
    await this.warehouse.insert('schools', SCHOOL_COLUMNS, Buffer.from(body), 'JSONEachRow');
    this.copy = null;
    this.reading = null;
  }

  /**
   * Every school in the school list (GIAS), by URN: who a school is, where and in which trust (every lookup of a school
   * reads this). A copy kept in memory, read again in the background every 10 s while in use, never more than a minute
   * old, and dropped when this instance uploads; callers share one read.
   */
  list(): Promise<SchoolList> {
    const age = this.copy ? Date.now() - this.copy.at : Infinity;
    if (age > LIST_FRESH_MS) this.reading ??= this.read();
    return age <= LIST_STALE_MS ? Promise.resolve(this.copy!.schools) : this.reading!;
  }

  private read(): Promise<SchoolList> {
    const at = Date.now();
    const reading: Promise<SchoolList> = this.warehouse
      .query<ListedSchool>(
        `SELECT s.urn AS urn, s.name AS name, s.la_code AS laCode, la.la_name AS laName, la.region_code AS regionCode, s.phase AS phase,
                s.type_of_establishment AS type, s.trust_code AS trustCode, s.trust_name AS trustName,
                if(isNull(s.ofsted_last_inspection), NULL, toString(s.ofsted_last_inspection)) AS ofstedLastInspection
         FROM (SELECT * FROM schools FINAL) AS s LEFT JOIN local_authorities AS la ON la.la_code = s.la_code`,
      )
      .then(
        (rows) => {
          const schools = new Map(rows.map((r) => [r.urn, r]));
          // Not if an upload dropped it meanwhile: this read may have missed it.
          if (this.reading === reading) [this.copy, this.reading] = [{ at, schools }, null];
          return schools;
        },
        (error: unknown) => {
          if (this.reading === reading) this.reading = null;
          throw error;
        },
      );
    reading.catch(() => undefined); // a background read's failure is its waiting callers' (none: the next call reads again)
    return reading;
  }

  async countOpen(): Promise<number> {
    const [row] = await this.warehouse.query<{ n: number }>(`SELECT count() AS n FROM schools FINAL WHERE ${OPEN}`);
    return row.n;
  }

  /**
   * The open schools of the school list with their pupils (GIAS's NumberOfPupils, 0 when not given): DfE's
   * total_num_schools and total_enrolments, the coverage denominator.
   */
  openSchools(): Promise<{ urn: number; laCode: string; phase: string; pupils: number }[]> {
    return this.warehouse.query(
      `SELECT urn, la_code AS laCode, phase, toUInt32(ifNull(number_of_pupils, 0)) AS pupils
       FROM schools FINAL WHERE ${OPEN}`,
    );
  }

  /** Each LA's and phase's open schools in the school list, and how many of them have marks for the day. */
  coverage(date: string): Promise<{ laCode: string; phase: string; schools: number; submitted: number }[]> {
    return this.warehouse.query(
      `SELECT s.la_code AS laCode, s.phase AS phase, count() AS schools, countIf(d.urn != 0) AS submitted
       FROM (SELECT urn, la_code, phase FROM schools FINAL WHERE ${OPEN}) AS s
       LEFT JOIN (SELECT DISTINCT urn FROM school_daily WHERE date = {date:Date}) AS d ON d.urn = s.urn
       GROUP BY laCode, phase ORDER BY laCode, phase`,
      { date },
    );
  }

  /** The LA table the roll-ups join for region codes: replaced from the committed reference file at start. */
  async loadLocalAuthorities(): Promise<void> {
    await this.warehouse.command('TRUNCATE TABLE local_authorities');
    const rows = LOCAL_AUTHORITIES.map((la) =>
      JSON.stringify({
        la_code: la.code,
        new_la_code: la.gss,
        la_name: la.name,
        region_code: la.regionCode,
        region_name: la.regionName,
      }),
    );
    await this.warehouse.insert(
      'local_authorities',
      ['la_code', 'new_la_code', 'la_name', 'region_code', 'region_name'],
      Buffer.from(rows.join('\n')),
      'JSONEachRow',
    );
  }
}
