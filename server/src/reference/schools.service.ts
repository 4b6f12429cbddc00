import { BadRequestException, Injectable } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { excerpt, MESSAGE_LIMIT, quoted } from '../common/echo.js';
import { versionTimestamp } from '../warehouse/warehouse.js';
import { LA_BY_CODE } from './local-authorities.js';
import { phaseOf } from './phase.js';
import { SchoolsRepository, type SchoolList, type SchoolRow } from './schools.repository.js';
import type { SchoolSummary, SchoolsUploadResult } from '../contract/api.js';

const GIAS = {
  urn: 'URN',
  la: 'LA (code)',
  name: 'EstablishmentName',
  type: 'TypeOfEstablishment (name)',
  status: 'EstablishmentStatus (name)',
  phase: 'PhaseOfEducation (name)',
  pupils: 'NumberOfPupils',
  fsm: 'PercentageFSM',
  trustCode: 'Trusts (code)',
  trustName: 'Trusts (name)',
  lsoa: 'LSOA (code)',
  lsoaName: 'LSOA (name)',
  msoa: 'MSOA (code)',
  msoaName: 'MSOA (name)',
  ofsted: 'OfstedLastInsp',
} as const;

@Injectable()
export class SchoolsService {
  constructor(private readonly schools: SchoolsRepository) {}

  /** Every school in the school list, by URN (kept in memory by the repository). */
  list(): Promise<SchoolList> {
    return this.schools.list();
  }

  /** The schools of an LA in the school list, by name, as GIAS publishes them (names, phases, trusts: public). */
  async ofLa(laCode: string): Promise<SchoolSummary[]> {
    const schools = [...(await this.schools.list()).values()].filter((s) => s.laCode === laCode);
    return schools
      .map(({ regionCode: _, ...summary }) => summary)
      .sort((a, b) => a.name.localeCompare(b.name, 'en-GB') || a.urn - b.urn);
  }

  /** Upserts schools by URN from a GIAS "all establishment data" CSV (UTF-8, or GIAS's own Windows-1252). */
  async upload(body: Buffer): Promise<SchoolsUploadResult> {
    const text = decode(body);
    let records: Record<string, string>[];
    try {
      records = parse(text, { columns: true, bom: true, skip_empty_lines: true, trim: true, relax_column_count: true });
    } catch (error) {
      const message = excerpt((error as Error).message, MESSAGE_LIMIT);
      throw new BadRequestException({ message: `The GIAS CSV is malformed: ${message}` });
    }
    const missing = [GIAS.urn, GIAS.la, GIAS.name].filter((c) => records.length && !(c in records[0]));
    if (!records.length || missing.length) {
      throw new BadRequestException({
        message: `The GIAS CSV needs a header row with at least: ${missing.join(', ') || 'URN'} and one school`,
      });
    }
    const known = await this.schools.list();
    const updatedAt = versionTimestamp();
    const rows: SchoolRow[] = [];
    const skipped: SchoolsUploadResult['skipped'] = [];
    let skippedCount = 0;
    records.forEach((r, i) => {
      const line = i + 2;
      const skip = (message: string) => {
        skippedCount++;
        if (skipped.length < 100) skipped.push({ line, message });
      };
      if (!/^\d{1,9}$/.test(r[GIAS.urn] ?? '')) return skip(`URN ${quoted(r[GIAS.urn] ?? '')} is not a number`);
      const laCode = (r[GIAS.la] ?? '').padStart(3, '0');
      if (!LA_BY_CODE.has(laCode)) {
        return skip(`LA (code) ${quoted(r[GIAS.la] ?? '')} is not one of England's 153 local authorities`);
      }
      rows.push({
        urn: Number(r[GIAS.urn]),
        la_code: laCode,
        name: r[GIAS.name] ?? '',
        type_of_establishment: r[GIAS.type] ?? '',
        status: r[GIAS.status] ?? '',
        phase_of_education: r[GIAS.phase] ?? '',
        phase: phaseOf(r[GIAS.phase] ?? '', r[GIAS.type] ?? ''),
        number_of_pupils: wholeNumber(r[GIAS.pupils]),
        percentage_fsm: decimal(r[GIAS.fsm]),
        trust_code: r[GIAS.trustCode] ?? '',
        trust_name: r[GIAS.trustName] ?? '',
        lsoa: r[GIAS.lsoa] ?? '',
        lsoa_name: r[GIAS.lsoaName] ?? '',
        msoa: r[GIAS.msoa] ?? '',
        msoa_name: r[GIAS.msoaName] ?? '',
        ofsted_last_inspection: giasDate(r[GIAS.ofsted]),
        updated_at: updatedAt,
      });
    });
    if (rows.length) await this.schools.upsert(rows);
    const inserted = rows.filter((r) => !known.has(r.urn as number)).length;
    return {
      inserted,
      updated: rows.length - inserted,
      total: (await this.schools.list()).size,
      skipped,
      skippedCount,
    };
  }
}

function decode(body: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return new TextDecoder('windows-1252').decode(body);
  }
}

function wholeNumber(value: string | undefined): number | null {
  return value && /^\d+$/.test(value) ? Number(value) : null;
}

function decimal(value: string | undefined): number | null {
  return value && /^\d+(\.\d+)?$/.test(value) ? Number(value) : null;
}

/** GIAS writes dates DD-MM-YYYY (sometimes DD/MM/YYYY). */
function giasDate(value: string | undefined): string | null {
  const match = /^(\d{2})[-/](\d{2})[-/](\d{4})$/.exec(value ?? '');
  return match ? `${match[3]}-${match[2]}-${match[1]}` : null;
}
