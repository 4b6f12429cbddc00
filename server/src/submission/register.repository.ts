import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { REGISTER_CODES, YEAR_GROUPS } from '../contract/vocabulary.js';
import { Batcher } from '../common/batcher.js';
import { WAREHOUSE, type Warehouse } from '../warehouse/warehouse.js';
import {
  CHARACTERISTIC_PATTERNS,
  MAX_ERRORS,
  MAX_NAME_LENGTH,
  NAME_CONTROLS_RE2,
  OPTIONAL_COLUMNS,
  type RegisterField,
  type RegisterLayout,
} from './register-parser.js';

/**
 * What a submitter may send, as the checks read it. The schools it may send for are the school list's: the checks in
 * ClickHouse read its table (a list of 22,000 URNs written into each check's statement took the engine 45 ms more to
 * plan than the read: docs/benchmarks.md); `knownUrns`, the same list, is the reference reader's.
 */
export interface RegisterRules {
  knownUrns: readonly number[];
  /** The URNs the submitter may send registers for; null: every school. */
  scope: readonly string[] | null;
  earliest: string;
  today: string;
}

/** The checks, in the order a row's errors are listed; a row's own checks first, then the checks across rows. */
export const CHECKS = {
  urnNotDigits: 1,
  urnUnknown: 2,
  urnForbidden: 3,
  upn: 4,
  dateNotReal: 5,
  dateOutside: 6,
  session: 7,
  code: 8,
  yearGroup: 9,
  /** 10 + the characteristic's index in OPTIONAL_COLUMNS. */
  characteristic: 10,
  nameTooLong: 20,
  nameControl: 21,
  nameNoLetter: 22,
  nameTwice: 30,
  codeTwice: 31,
} as const;

/** One failed check of one row (0-based, header not counted). */
export interface RowProblem {
  row: number;
  check: number;
  /** The value checked, cut to what a message may quote (41 characters). */
  value: string;
  /** For a pupil's second name or a pupil-session's second code: the row it was first on, and that row's code. */
  earlierRow: number;
  earlierCode: string;
  /** The row's pupil and session, as those two messages name them. */
  upn: string;
  date: string;
  session: string;
}

/** Where a register's rows are staged: a staging table, which registers staged about then share, and its id there. */
export interface StagedRows {
  table: string;
  file: string;
  /** The rows' size as sent, in bytes. */
  bytes: number;
}

/** A register staged in ClickHouse: its rows, where its fields are, and what its rows add up to. */
export interface StagedRegister extends StagedRows {
  layout: RegisterLayout;
  /** Rows in the file. */
  records: number;
  /** Pupil-sessions: rows less those sent twice with the same code. */
  rows: number;
  /** The (school, date) slices it touches. */
  slices: [number, string][];
}

/** A staged register to be checked, with the rules of its submitter. */
interface Staged extends StagedRows {
  layout: RegisterLayout;
  rules: RegisterRules;
}

/** What a register's rows add up to: its records and pupil-sessions, the faults counted, the slices it touches. */
interface Summary {
  file: string;
  records: number;
  rows: number;
  bad: number;
  forbidden: number;
  divergent: number;
  code_clashes: number;
  name_clashes: number;
  multiline: number;
  slices: [number, string][];
}

export type Verdict =
  | { kind: 'accepted'; register: StagedRegister }
  | { kind: 'refused'; forbidden: boolean; records: number; problems: RowProblem[]; multiline: boolean }
  /** The engine read a cell otherwise than the reference reader would (register-parser.ts): that reader answers. */
  | { kind: 'unread' };

/** The staging table's cell columns c1..cN, a register's cells in file order. */
const cell = (position: number) => `c${position + 1}`;

/** The staging tables of registers read together: one, or several merged (their names are this repository's own). */
export const stagingSource = (tables: readonly string[]) =>
  tables.length === 1 ? tables[0] : `merge(currentDatabase(), '^(${tables.join('|')})$')`;

/** A field's cell column in a staged register, or '' (an SQL literal) where the file has no such column. */
export const cellOf = (layout: RegisterLayout, field: RegisterField) =>
  layout.columns[field] < 0 ? "''" : cell(layout.columns[field]);

/**
 * Characters csv-parse trims from a cell's ends and the engine does not (it trims spaces and tabs): a cell that starts
 * or ends with one is read differently by the two.
 */
const TRIMMED_ONLY_BY_CSV_PARSE =
  '[\\\\x{0A}\\\\x{0B}\\\\x{0C}\\\\x{0D}\\\\x{A0}\\\\x{1680}\\\\x{2000}-\\\\x{200A}\\\\x{2028}\\\\x{2029}\\\\x{202F}\\\\x{205F}\\\\x{3000}\\\\x{FEFF}]';

/**
 * A staging table: registers of one width staged within SHARE_MS of its creation go into it, each with its id (`file`)
 * and row numbers (`n`) beside its cells. It is dropped once none of them is still to be checked or stored, and it
 * takes no more once that happens or SHARE_MS has passed: a register's rows stay in memory about as long as its
 * request, whatever the load.
 */
interface StagingTable {
  name: string;
  width: number;
  created: number;
  /** Registers staged in it and not yet released, or being staged. */
  holders: number;
  ready: Promise<void>;
}

/**
 * Under a steady load of small registers (many schools at once), their checks, and then their stores, begin at most
 * every `ms`, each for every register ready since the last: at 20 single-school registers a second a register costs
 * the server two thirds of the CPU it did, for a few tens of milliseconds more to the 202 (docs/benchmarks.md, Where
 * the CPU goes at 20 registers a second). A batch is small under `bytes` of CSV (checks) or `records` (stores): a
 * larger one's cost is its rows, not its statements, and the registers after it do not wait; nor does a register
 * that finds none begun in the last `ms` (a client's registers sent a few a second).
 */
export const REGISTER_BATCH = { ms: 150, bytes: 500_000, records: 10_000 };

/**
 * Registers staged at about the same time share a staging table: a table's CREATE and DROP cost the engine about as
 * much as the insert of a small register (docs/benchmarks.md, Shared staging tables).
 */
const SHARE_MS = 2_000;

/**
 * Registers checked and prepared in ClickHouse: the body goes into a staging table as the engine parses it (CSV,
 * every cell a String, the register's id and the row's number beside it), and the checks run over its rows there as
 * SQL. Storing its marks is MarksRepository's, from the same rows. A table of the Memory engine: a register lives there
 * for one request.
 */
@Injectable()
export class RegisterRepository implements OnApplicationBootstrap {
  /** The staging table taking registers, by width. */
  private readonly open = new Map<number, StagingTable>();
  private readonly tables = new Map<string, StagingTable>();

  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  /**
   * Staging tables left by a process that stopped mid-request (their Memory data is gone; their names stay): dropped
   * once an hour old, so another instance's table in use is never one of them.
   */
  async onApplicationBootstrap(): Promise<void> {
    const left = await this.warehouse
      .query<{ name: string }>(
        `SELECT name FROM system.tables WHERE database = currentDatabase() AND startsWith(name, 'register_')
           AND metadata_modification_time < now() - INTERVAL 1 HOUR`,
      )
      .catch(() => []);
    for (const { name } of left) if (/^register_[0-9a-f]{32}$/.test(name)) await this.drop(name);
  }

  /**
   * The body in a staging table, or null when the engine cannot read it as CSV of that many cells a row. Its rows are
   * to be released (release()) once checked and stored, or refused.
   */
  async stage(body: Buffer, layout: RegisterLayout): Promise<StagedRows | null> {
    const table = await this.tableFor(layout.width);
    const staged = { table: table.name, file: randomUUID(), bytes: body.length };
    const cells = Array.from({ length: layout.width }, (_, i) => cell(i));
    try {
      await this.warehouse.insert(table.name, cells, body, 'CSV', {
        // The register's id, which the table's `file` column takes as its default. Rows of an insert that fails are
        // never read: staged again, a register has another id.
        log_comment: staged.file,
        format_csv_delimiter: ',',
        format_csv_allow_double_quotes: 1,
        format_csv_allow_single_quotes: 0,
        input_format_csv_trim_whitespaces: 1,
        input_format_csv_skip_trailing_empty_lines: 1,
        input_format_csv_empty_as_default: 1,
        input_format_csv_allow_variable_number_of_columns: 0,
        input_format_csv_use_default_on_bad_values: 0,
        input_format_csv_detect_header: 0,
        input_format_allow_errors_num: 0,
        input_format_allow_errors_ratio: 0,
      });
      return staged;
    } catch {
      await this.release(staged);
      return null;
    }
  }

  /** The width's open staging table, or a new one: the caller holds it until it releases its register. */
  private async tableFor(width: number): Promise<StagingTable> {
    let table = this.open.get(width);
    if (table && Date.now() - table.created > SHARE_MS) {
      this.open.delete(width);
      table = undefined;
    }
    if (!table) {
      const name = `register_${randomUUID().replaceAll('-', '')}`;
      const cells = Array.from({ length: width }, (_, i) => `${cell(i)} String`);
      const ready = this.warehouse.command(
        `CREATE TABLE ${name} (file String DEFAULT getSetting('log_comment'), n UInt64 DEFAULT rowNumberInAllBlocks(),
           ${cells.join(', ')}) ENGINE = Memory`,
      );
      table = { name, width, created: Date.now(), holders: 0, ready };
      this.open.set(width, table);
      this.tables.set(name, table);
    }
    table.holders++;
    try {
      await table.ready;
      return table;
    } catch (error) {
      if (this.open.get(width) === table) this.open.delete(width);
      if (--table.holders === 0) this.tables.delete(table.name);
      throw error;
    }
  }

  /** A register's rows are no longer needed: its staging table goes once no register in it is. */
  async release({ table: name }: StagedRows): Promise<void> {
    const table = this.tables.get(name);
    if (!table || --table.holders > 0) return;
    this.tables.delete(name);
    if (this.open.get(table.width) === table) this.open.delete(table.width);
    await this.drop(name);
  }

  private async drop(table: string): Promise<void> {
    await this.warehouse.command(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
  }

  /**
   * Every check of a register, in SQL: first one pass that counts (the common answer: all good); only when something
   * is wrong, a second that finds the first rows at fault, as the reference reader would list them.
   * `rewritten`: the table holds the reference reader's own re-written rows, which it has read already.
   */
  async check(staged: StagedRows, layout: RegisterLayout, rules: RegisterRules, rewritten = false): Promise<Verdict> {
    const summary = await this.counting.add({ ...staged, layout, rules });
    if (summary.divergent && !rewritten) return { kind: 'unread' };
    const records = Number(summary.records);
    if (!summary.bad && !summary.code_clashes && !summary.name_clashes && records > 0)
      return {
        kind: 'accepted',
        register: { ...staged, layout, records, rows: Number(summary.rows), slices: summary.slices },
      };
    const one = { ...staged, layout, rules };
    const problems = records ? await this.problems(rowsSql(staged.table, layout), ruleParams([one])) : [];
    return {
      kind: 'refused',
      forbidden: Boolean(summary.forbidden),
      records,
      problems,
      multiline: Boolean(summary.multiline),
    };
  }

  /**
   * Registers checked together: a check's cost is mostly the engine's planning of its statement, whatever the rows
   * (25-30 ms for 1 register or 16), so the registers staged while one count runs are counted by the next in one
   * statement, over their tables merged (one statement for each layout and window of dates among them; a submitter's
   * scope is each register's own), which under a load of small registers begins REGISTER_BATCH.ms after the last.
   */
  private readonly counting = new Batcher<Staged, Summary>((staged) => this.countAll(staged), {
    maxItems: 100,
    sizeOf: (staged) => staged.bytes,
    every: { ms: REGISTER_BATCH.ms, under: REGISTER_BATCH.bytes },
  });

  private async countAll(staged: Staged[]): Promise<Summary[]> {
    const groups = new Map<string, Staged[]>();
    for (const item of staged) {
      const { earliest, today } = item.rules;
      const sameRules = [...groups.values()].find(
        ([first]) =>
          JSON.stringify(first.layout) === JSON.stringify(item.layout) &&
          first.rules.earliest === earliest &&
          first.rules.today === today,
      );
      if (sameRules) sameRules.push(item);
      else groups.set(item.file, [item]);
    }
    const counted = new Map<string, Summary>();
    for (const group of groups.values())
      for (const summary of await this.count(group)) counted.set(summary.file, summary);
    // A register without rows has no group: nothing counted.
    const none = { records: 0, rows: 0, bad: 0, forbidden: 0, divergent: 0, code_clashes: 0, name_clashes: 0 };
    return staged.map(({ file }) => counted.get(file) ?? { file, ...none, multiline: 0, slices: [] });
  }

  /**
   * The counts of registers of one layout, under the same rules but for their submitters' scopes, in one pass over
   * their rows: a pupil-session sent with two codes (or a pupil with two names) shows as more distinct pupil-sessions
   * with their codes (pupils with their names) than pupil-sessions (pupils).
   */
  private count(group: Staged[]): Promise<Summary[]> {
    const { layout } = group[0];
    const rows = rowsSql(stagingSource([...new Set(group.map((g) => g.table))]), layout);
    const nameClashes =
      layout.columns.name >= 0
        ? "uniqExactIf(urn, upper(upn), name, name != '') - uniqExactIf(urn, upper(upn), name != '')"
        : '0';
    return this.warehouse.query<Summary>(
      `SELECT file, count() AS records, uniqExact(urn, upn, date_text, session) AS rows, countIf(row_bad) AS bad,
         max(forbidden_row) AS forbidden, max(divergent_row) AS divergent, max(multiline_row) AS multiline,
         uniqExact(urn, upn, date_text, session, code) - rows AS code_clashes, ${nameClashes} AS name_clashes,
         groupUniqArray((urn, date_text)) AS slices
       FROM (${rows})
       GROUP BY file`,
      ruleParams(group),
    );
  }

  /**
   * The first rows at fault, with every check each fails, as the reference reader finds them: a row's own checks;
   * then, among rows that pass those, a pupil's name that differs from the first row naming them; then, among rows
   * that pass that too, a pupil-session's code that differs from the first row of that pupil-session.
   */
  private async problems(rows: string, params: Record<string, unknown>): Promise<RowProblem[]> {
    const found = await this.warehouse.query<{
      n: number;
      upn: string;
      date_text: string;
      session: string;
      problems: [number, string][];
      name_clash: number;
      first_named: [number, string];
      code_clash: number;
      first_coded: [number, string];
    }>(
      `SELECT n, upn, date_text, session, problems, name_clash, first_named, code_clash, first_coded
       FROM (
         SELECT *, sessions_counted AND first_coded.2 != code AS code_clash
         FROM (
           SELECT *, named AND first_named.2 != name AS name_clash, row_ok AND NOT name_clash AS sessions_counted,
             first_value((n, code)) OVER (PARTITION BY sessions_counted, urn, upn, date_text, session ORDER BY n
               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS first_coded
           FROM (
             SELECT *, empty(problems) AS row_ok, row_ok AND name != '' AS named,
               first_value((n, name)) OVER (PARTITION BY named, urn, upper(upn) ORDER BY n
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS first_named
             FROM (${rows})
           )
         )
       )
       WHERE NOT row_ok OR name_clash OR code_clash
       ORDER BY n
       LIMIT ${MAX_ERRORS}`,
      params,
    );
    return found.flatMap((r): RowProblem[] => {
      const problem = {
        row: Number(r.n),
        value: '',
        earlierRow: -1,
        earlierCode: '',
        upn: r.upn,
        date: r.date_text,
        session: r.session,
      };
      const own = r.problems.map(([check, value]) => ({ ...problem, check, value }));
      if (r.name_clash) own.push({ ...problem, check: CHECKS.nameTwice, earlierRow: Number(r.first_named[0]) });
      else if (r.code_clash)
        own.push({
          ...problem,
          check: CHECKS.codeTwice,
          earlierRow: Number(r.first_coded[0]),
          earlierCode: r.first_coded[1],
        });
      return own;
    });
  }
}

/**
 * The register codes as parameters, in hex: one of them is a backslash, which a parameter's text escapes (and the
 * fault tests' HTTP stand-in for a server does not), so they are compared as `hex(code)`.
 */
export function codesInHex(): string[] {
  return [...REGISTER_CODES.keys()].map((code) => Buffer.from(code).toString('hex').toUpperCase());
}

/** The rules of registers checked together as query parameters: shared, but for each submitter's scope. */
function ruleParams(staged: Staged[]): Record<string, unknown> {
  const { rules } = staged[0];
  return {
    files: staged.map((s) => s.file),
    every_school_files: staged.filter((s) => !s.rules.scope).map((s) => s.file),
    scopes: staged.map((s) => [...(s.rules.scope ?? [])]),
    earliest: rules.earliest,
    today: rules.today,
    code_hex: codesInHex(),
    year_groups: [...YEAR_GROUPS],
    ...Object.fromEntries(OPTIONAL_COLUMNS.map((c) => [`pattern_${c}`, CHARACTERISTIC_PATTERNS[c]])),
  };
}

/** One of a row's own checks: the number of the check it fails (0: none), and the value checked. */
type Check = [check: string, value: string];

/**
 * The rows of the registers `{files:Array(String)}` staged in `source` (a staging table, or several merged), with every
 * row's own checks: `problems`, the failed ones as (check, value) in order, and `row_bad`, whether any failed (what
 * a count needs, without building each row's list);
 * `forbidden_row`, a URN the submitter may not send for; `divergent_row`, a cell the engine may have read otherwise
 * than csv-parse (a quote or carriage return left in a cell, a space only csv-parse trims at an end, a letter that
 * upper-cases differently in JavaScript). Each of these looks at the row's cells at once, one expression rather than
 * one a cell: the statement's planning, not its rows, is most of a check's cost. The ASCII characters only csv-parse
 * trims (and line breaks) are looked for anywhere in a row; the others, and letters JavaScript upper-cases otherwise,
 * only in a row with a character outside ASCII, where the cells' ends are found in the cells joined by quotes (which a
 * cell holds only in a row found divergent already). Identifiers are the staging table's and fixed column names;
 * values are parameters.
 */
export function rowsSql(source: string, layout: RegisterLayout): string {
  const at = (field: RegisterField) => cellOf(layout, field);
  const quotedValue = (expression: string) => `substringUTF8(${expression}, 1, 41)`;
  const cells = Array.from({ length: layout.width }, (_, i) => cell(i));
  const used = (Object.keys(layout.columns) as RegisterField[]).filter((f) => layout.columns[f] >= 0).map(at);
  const upperCased = ['session', 'code', 'year_group', ...OPTIONAL_COLUMNS] as const;
  const characteristicChecks: Check[] = OPTIONAL_COLUMNS.flatMap((c, i) =>
    layout.columns[c] < 0
      ? []
      : [
          [
            `if(${at(c)} = '' OR match(upper(${at(c)}), {pattern_${c}:String}), 0, ${CHECKS.characteristic + i})`,
            at(c),
          ],
        ],
  );
  /** A row's own checks, in the order its errors are listed: each the failed check's number (0: passed) and its value. */
  const checks: Check[] = [
    ['urn_check', 'urn_text'],
    [`if(match(upn, '^[A-Za-z0-9]{1,32}$'), 0, ${CHECKS.upn})`, 'upn'],
    [
      `multiIf(NOT date_real, ${CHECKS.dateNotReal},
          date_text < {earliest:String} OR date_text > {today:String}, ${CHECKS.dateOutside}, 0)`,
      'date_text',
    ],
    [`if(session IN ('AM', 'PM'), 0, ${CHECKS.session})`, 'session_text'],
    [`if(hex(code) IN {code_hex:Array(String)}, 0, ${CHECKS.code})`, 'code_text'],
    [`if(upper(year_text) IN {year_groups:Array(String)}, 0, ${CHECKS.yearGroup})`, 'year_text'],
    ...characteristicChecks,
    ['name_check', "''"],
  ];
  return `SELECT file, n,
      ${at('urn')} AS urn_text, ${at('upn')} AS upn, ${at('date')} AS date_text, ${at('session')} AS session_text,
      ${at('code')} AS code_text, ${at('year_group')} AS year_text, ${at('name')} AS name_sent,
      upper(session_text) AS session, upper(code_text) AS code,
      match(urn_text, '^[0-9]{1,9}$') AS urn_digits,
      if(urn_digits, toUInt32(urn_text), 0) AS urn,
      multiIf(NOT urn_digits, ${CHECKS.urnNotDigits}, urn NOT IN (SELECT urn FROM schools), ${CHECKS.urnUnknown},
        NOT (has({every_school_files:Array(String)}, file)
          OR has({scopes:Array(Array(String))}[indexOf({files:Array(String)}, file)], toString(urn))),
          ${CHECKS.urnForbidden}, 0) AS urn_check,
      urn_check = ${CHECKS.urnForbidden} AS forbidden_row,
      toUInt16OrZero(substring(date_text, 1, 4)) AS year_number,
      toUInt8OrZero(substring(date_text, 6, 2)) AS month_number,
      toUInt8OrZero(substring(date_text, 9, 2)) AS day_number,
      match(date_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') AND month_number BETWEEN 1 AND 12
        AND day_number BETWEEN 1 AND multiIf(month_number = 2,
          if((year_number % 4 = 0 AND year_number % 100 != 0) OR year_number % 400 = 0, 29, 28),
          month_number IN (4, 6, 9, 11), 30, 31) AS date_real,
      if(lengthUTF8(name_sent) + countMatches(name_sent, '[\\\\x{10000}-\\\\x{10FFFF}]') > ${4 * MAX_NAME_LENGTH},
        name_sent, normalizeUTF8NFC(name_sent)) AS name,
      multiIf(name = '', 0,
        lengthUTF8(name) + countMatches(name, '[\\\\x{10000}-\\\\x{10FFFF}]') > ${4 * MAX_NAME_LENGTH}
          OR lengthUTF8(name) > ${MAX_NAME_LENGTH}, ${CHECKS.nameTooLong},
        match(name, '${NAME_CONTROLS_RE2}'), ${CHECKS.nameControl},
        NOT match(name, '\\\\p{L}'), ${CHECKS.nameNoLetter}, 0) AS name_check,
      arrayFilter(p -> p.1 != 0, [
        ${checks.map(([check, value]) => `(${check}, ${quotedValue(value)})`).join(',\n        ')}
      ]) AS problems,
      ${checks.map(([check]) => `${check} != 0`).join(' OR ')} AS row_bad,
      multiSearchAny(concat(${cells.join(', ')}, ''), ['"', '\\r', '\\n', '\\x0B', '\\x0C'])
        OR (length(concat(${used.join(', ')})) != lengthUTF8(concat(${used.join(', ')}))
          AND (match(concat(${used.join(`, '"', `)}), '(^|")${TRIMMED_ONLY_BY_CSV_PARSE}|${TRIMMED_ONLY_BY_CSV_PARSE}("|$)')
            OR length(concat(${upperCased.map(at).join(', ')})) != lengthUTF8(concat(${upperCased.map(at).join(', ')}))))
        AS divergent_row,
      position(concat(${cells.join(', ')}, ''), '\n') > 0 AS multiline_row
    FROM ${source} WHERE file IN {files:Array(String)}`;
}
