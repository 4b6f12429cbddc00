import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { addDays, mondayOf } from '../common/dates.js';
import { REGISTER_CODES } from '../contract/vocabulary.js';
import { sealedSql } from '../pupils/upn-cipher.js';
import { hmacParams, hmacSql } from '../warehouse/hmac-sql.js';
import { Secret, WAREHOUSE, type Warehouse } from '../warehouse/warehouse.js';
import { OPTIONAL_COLUMNS, type RegisterField } from './register-parser.js';
import { cellOf, codesInHex, stagingSource, type StagedRegister } from './register.repository.js';

export interface StoredSubmission {
  submission_id: string;
  rows: number;
  urns: number[];
  dates: string[];
}

/** A checked register to store: its staging table (RegisterRepository) and its record. */
export interface NewSubmission {
  record: StoredSubmission & { content_sha256: string; submitted_by: string; received_at: string };
  staged: StagedRegister;
}

/** The keys of storing: the pupil pseudonym's HMAC key and the AES key of UPNs and names (hex). */
export interface PupilSecrets {
  pupilKey: string;
  upnKeyHex: string;
}

/**
 * A pupil's pseudonym, pupil_key, in SQL: HMAC-SHA256 of the upper-cased UPN under PUPIL_KEY's UTF-8 bytes (the
 * parameters of pupilKeyParams), in lower-case hex. The same bytes the service made in JavaScript before registers were
 * checked in ClickHouse (createHmac('sha256', PUPIL_KEY).update(upn.toUpperCase()).digest('hex')), so a pupil keeps
 * their pseudonym.
 */
export function pupilKeySql(upn: string): string {
  return `lower(hex(${hmacSql(`upper(${upn})`, 'pupil_key')}))`;
}

/** pupilKeySql's parameters for a PUPIL_KEY secret, bound as secrets. */
export const pupilKeyParams = (pupilKey: string) => hmacParams('pupil_key', Buffer.from(pupilKey));

/** Weeks before a file's first day from which a pupil rolled up at its schools needs no lookup of their identity. */
const RECENT_WEEKS = 2;

const MARK_COLUMNS = [
  'urn',
  'date',
  'pupil_key',
  'session',
  'code',
  'category',
  'year_group',
  ...OPTIONAL_COLUMNS,
  'submission_id',
  'received_at',
] as const;

@Injectable()
export class MarksRepository {
  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  /**
   * Stores files together, one statement per table, from their staging tables: the identities of pupils not stored
   * before, then the names sent, the marks and the submission records (storeMarks). Returns once ClickHouse has them
   * (marks: fsynced).
   */
  async store(files: NewSubmission[], secrets: PupilSecrets): Promise<void> {
    await this.storeIdentities(files, secrets);
    await this.storeMarks(files, secrets);
  }

  /**
   * The encrypted UPNs of the files' pupils not stored before. A file sent again adds none (its pupils were stored
   * with it the first time), so this may run before it is known which files are repeats.
   *
   * A pupil rolled up at one of the files' schools since RECENT_WEEKS before their first day (a pupil_weekly row) was
   * stored then: identities go before marks. Only the others are looked up in pupil_identities, whose lookup reads
   * every row (keys are hashes, so a file's pupils are in every part of the index): 185-243 ms a 40-school file among a
   * nation's 8 M pupils, against 24-28 ms for the schools' recent weeks (docs/benchmarks.md, A national day through
   * the API).
   */
  async storeIdentities(files: NewSubmission[], secrets: PupilSecrets): Promise<void> {
    const groups = groupsOf(files);
    const upns = groups
      .map((g) => `SELECT DISTINCT upper(upn) AS upn FROM (${rowsOf(g, ['upn'])})`)
      .join(' UNION DISTINCT ');
    const slices = files.flatMap((f) => f.staged.slices);
    const firstDate = slices.map(([, date]) => date).sort()[0];
    // Each pupil's pseudonym made once (a scalar subquery), both to look the pupils up and to store the new ones.
    await this.warehouse.command(
      `INSERT INTO pupil_identities (pupil_key, upn_encrypted, updated_at)
       WITH (SELECT groupArray((upn, ${pupilKeySql('upn')})) FROM (${upns})) AS keyed,
         unseen AS (
           SELECT pupil.1 AS upn, pupil.2 AS pupil_key FROM (SELECT arrayJoin(keyed) AS pupil)
           WHERE pupil_key NOT IN (SELECT pupil_key FROM pupil_weekly
             WHERE urn IN {urns:Array(UInt32)} AND week >= {weeks_from:Date}))
       SELECT pupil_key, ${sealedSql('upn', 'pupil_key', 'identity')}, {received_at:DateTime64(6)}
       FROM unseen
       WHERE pupil_key NOT IN (SELECT pupil_key FROM pupil_identities WHERE pupil_key IN (SELECT pupil_key FROM unseen))`,
      {
        ...paramsOf(files, groups, secrets),
        urns: [...new Set(slices.map(([urn]) => urn))],
        weeks_from: addDays(mondayOf(firstDate), -RECENT_WEEKS * 7),
      },
    );
  }

  /**
   * The names sent, the marks, then the submission records (so a record, which makes a repeat of the file a no-op,
   * exists only once its marks do), of files whose pupils' identities are stored.
   */
  async storeMarks(files: NewSubmission[], secrets: PupilSecrets): Promise<void> {
    const groups = groupsOf(files);
    const params = paramsOf(files, groups, secrets);

    const named = groups.filter((g) => g.layout.columns.name >= 0);
    if (named.length)
      await this.warehouse.command(
        `INSERT INTO pupil_names (urn, pupil_key, name_encrypted, updated_at)
         SELECT urn, pupil_key, ${sealedSql('name', "concat(toString(urn), '|', pupil_key, '|', file)", 'name')},
           {received_at:DateTime64(6)}
         FROM (${named
           .map(
             (g) =>
               `SELECT file, toUInt32(urn) AS urn, ${pupilKeySql('upn')} AS pupil_key, normalizeUTF8NFC(name) AS name
                FROM (${rowsOf(g, ['urn', 'upn', 'name'])}) WHERE name != ''
                ORDER BY n DESC LIMIT 1 BY file, urn, pupil_key`,
           )
           .join(' UNION ALL ')})`,
        params,
      );

    // A pupil-session sent twice (with the same code: the checks refuse two codes) is stored once, from its first row.
    const marks = groups.map((g) => {
      const rows = rowsOf(g, ['urn', 'upn', 'date', 'session', 'code', 'year_group', ...OPTIONAL_COLUMNS]);
      const once = g.repeats
        ? `(${rows} ORDER BY file, n LIMIT 1 BY file, toUInt32(urn), upn, date, upper(session))`
        : `(${rows})`;
      return `SELECT toUInt32(urn), toDate(date), ${pupilKeySql('upn')}, upper(session), upper(code),
          transform(hex(upper(code)), {code_hex:Array(String)}, {categories:Array(String)}, ''), upper(year_group),
          ${OPTIONAL_COLUMNS.map((c) => `upper(${c})`).join(', ')},
          {submissions:Array(UUID)}[indexOf({files:Array(String)}, file)],
          {received_ats:Array(DateTime64(6))}[indexOf({files:Array(String)}, file)]
        FROM ${once}`;
    });
    await this.warehouse.command(`INSERT INTO marks (${MARK_COLUMNS.join(', ')}) ${marks.join(' UNION ALL ')}`, params);
    await this.warehouse.insert(
      'submissions',
      ['submission_id', 'content_sha256', 'submitted_by', 'rows', 'urns', 'dates', 'received_at'],
      Buffer.from(files.map((f) => JSON.stringify(f.record)).join('\n')),
      'JSONEachRow',
    );
  }

  /** The first accepted submission of each of these file contents (SHA-256), where there is one. */
  async findByContent(sha256s: string[]): Promise<Map<string, StoredSubmission>> {
    const rows = await this.warehouse.query<StoredSubmission & { content_sha256: string }>(
      `SELECT content_sha256, submission_id, rows, urns, dates FROM submissions WHERE content_sha256 IN {sha256s:Array(String)}
       ORDER BY received_at LIMIT 1 BY content_sha256`,
      { sha256s },
    );
    return new Map(rows.map(({ content_sha256, ...stored }) => [content_sha256, stored]));
  }
}

/**
 * A statement's parameters for storing files: the secrets (bound), the codes, each file's submission and time, each
 * group's files.
 */
function paramsOf(files: NewSubmission[], groups: Group[], secrets: PupilSecrets): Record<string, unknown> {
  return {
    ...pupilKeyParams(secrets.pupilKey),
    upn_key: new Secret(secrets.upnKeyHex),
    // Fresh for every statement: the IVs of its values (sealedSql).
    ...hmacParams('iv_secret', randomBytes(32)),
    code_hex: codesInHex(),
    categories: [...REGISTER_CODES.values()].map((c) => c.category),
    files: files.map((f) => f.staged.file),
    submissions: files.map((f) => f.record.submission_id),
    received_ats: files.map((f) => f.record.received_at),
    // The time an identity or a name is stored at: the last file's.
    received_at: files.at(-1)!.record.received_at,
    ...Object.fromEntries(groups.map((g) => [g.param, g.files])),
  };
}

/** Files of one layout, read together from their staging tables. */
interface Group {
  /** The parameter of its files' ids. */
  param: string;
  layout: StagedRegister['layout'];
  tables: string[];
  files: string[];
  /** Some file of the group sends a pupil-session more than once. */
  repeats: boolean;
}

/**
 * The files grouped by layout: a group's rows are one SELECT over its staging tables, whatever the number of files
 * (a statement's planning, not its rows, is most of a small batch's cost).
 */
function groupsOf(files: NewSubmission[]): Group[] {
  const groups = new Map<string, Group>();
  for (const { staged } of files) {
    const key = JSON.stringify(staged.layout);
    const group = groups.get(key) ?? {
      param: `group_${groups.size}`,
      layout: staged.layout,
      tables: [],
      files: [],
      repeats: false,
    };
    groups.set(key, group);
    if (!group.tables.includes(staged.table)) group.tables.push(staged.table);
    group.files.push(staged.file);
    group.repeats ||= staged.records > staged.rows;
  }
  return [...groups.values()];
}

/** A group's files' row numbers and the cells of these fields, with each row's file. */
function rowsOf(g: Group, fields: RegisterField[]): string {
  return `SELECT file, n, ${fields.map((field) => `${cellOf(g.layout, field)} AS ${field}`).join(', ')}
   FROM ${stagingSource(g.tables)} WHERE file IN {${g.param}:Array(String)}`;
}
