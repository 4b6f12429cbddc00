// A register's rules, and the reference reader that applies them in JavaScript. Registers are checked and stored in
// ClickHouse (register.repository.ts); this reader answers for the few files whose CSV the engine reads otherwise than
// csv-parse does, or cannot place exactly (broken quoting, quoted line breaks): it gives their exact errors, or their
// rows re-written as a plain CSV that the engine then checks and stores like any other. The messages are built here
// for both, so the two say the same thing.
import { createHash } from 'node:crypto';
import { parse, CsvError } from 'csv-parse';
import { isIsoDate } from '../common/dates.js';
import { excerpt, MESSAGE_LIMIT, quoted } from '../common/echo.js';
import { REGISTER_CODES, YEAR_GROUPS } from '../contract/vocabulary.js';

export const MAX_ERRORS = 100;
export const REQUIRED_COLUMNS = ['urn', 'upn', 'date', 'session', 'code', 'year_group'] as const;
export const OPTIONAL_COLUMNS = ['sex', 'fsm', 'sen', 'eal', 'ethnicity', 'cin', 'cla', 'lsoa'] as const;
/** A characteristic's valid values once upper-cased, as a pattern both JavaScript and ClickHouse (RE2) read alike. */
export const CHARACTERISTIC_PATTERNS: Record<(typeof OPTIONAL_COLUMNS)[number], string> = {
  sex: '^[FM]$',
  fsm: '^[YN]$',
  sen: '^[NKE]$',
  eal: '^[YN]$',
  ethnicity: '^(WHIT|MIXD|ASIA|BLAC|CHNE|AOEG|UNCL)$',
  cin: '^[YN]$',
  cla: '^[YN]$',
  lsoa: '^E01[0-9]{6}$',
};
const CHARACTERISTICS = OPTIONAL_COLUMNS.map((c) => new RegExp(CHARACTERISTIC_PATTERNS[c]));

/** The optional pupil name column: stored encrypted apart from the marks (pupil_names), never in a mark. */
export const NAME_COLUMN = 'name';
/** Longest name taken, in characters: the school census's legal forename (35) and surname (45) fit with room. */
export const MAX_NAME_LENGTH = 100;
// Characters no name holds and that would change how it shows: C0 and C1 controls (tab, newline, escape), line and
// paragraph separators, bidirectional embeddings, overrides and isolates (text shown in another order than stored)
// and the byte-order mark.
const NAME_CONTROLS = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/u;
/** The same characters as an RE2 class, escaped for a ClickHouse string literal (the checks in ClickHouse). */
export const NAME_CONTROLS_RE2 =
  '[\\\\p{Cc}\\\\x{2028}\\\\x{2029}\\\\x{202A}-\\\\x{202E}\\\\x{2066}-\\\\x{2069}\\\\x{FEFF}]';

/** The fields of a register, in the order of the plain CSV this reader writes (REWRITTEN_LAYOUT). */
export const REGISTER_FIELDS = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS, NAME_COLUMN] as const;
export type RegisterField = (typeof REGISTER_FIELDS)[number];

/**
 * Where each field is in a file's rows (0-based; -1: not sent) and how many cells a row has. The last column of a
 * name repeated in the header is the one read, as csv-parse's records are.
 */
export interface RegisterLayout {
  width: number;
  columns: Record<RegisterField, number>;
}

export function layoutOf(header: readonly string[]): RegisterLayout | { missing: string[] } {
  const positions = new Map(header.map((name, i) => [name.trim().toLowerCase(), i]));
  const missing = REQUIRED_COLUMNS.filter((c) => !positions.has(c));
  if (missing.length) return { missing };
  const columns = Object.fromEntries(REGISTER_FIELDS.map((f) => [f, positions.get(f) ?? -1])) as Record<
    RegisterField,
    number
  >;
  return { width: header.length, columns };
}

/** The rows this reader re-writes: every field, in REGISTER_FIELDS order, no header. */
export const REWRITTEN_LAYOUT: RegisterLayout = {
  width: REGISTER_FIELDS.length,
  columns: Object.fromEntries(REGISTER_FIELDS.map((f, i) => [f, i])) as Record<RegisterField, number>,
};

/** What a register's errors say: one wording for the reader here and the checks in ClickHouse. */
export const REGISTER_MESSAGES = {
  missingColumns: (missing: readonly string[]) =>
    `Missing required column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
  urnNotDigits: (text: string) => `urn ${quoted(text)} is not a school URN (digits only)`,
  urnUnknown: (urn: number) => `urn ${urn} is not a school in the reference data: upload it from GIAS first`,
  urnForbidden: (urn: number) => `You may not submit registers for urn ${urn}`,
  upn: (text: string) => `upn ${quoted(text)} must be 1-32 letters and digits`,
  dateNotReal: (text: string) => `date ${quoted(text)} is not a real date written YYYY-MM-DD`,
  dateOutside: (date: string, earliest: string, today: string) => {
    const outside = date > today ? 'in the future' : `before ${earliest}`;
    return `date ${date} is ${outside}: registers are taken for ${earliest} to ${today} (today in England)`;
  },
  session: (text: string) => `session ${quoted(text)} must be AM or PM`,
  code: (text: string) => `code ${quoted(text)} is not a register code`,
  yearGroup: (text: string) => `year_group ${quoted(text)} must be N1, N2, R or 1-14`,
  characteristic: (column: string, text: string) => `${column} ${quoted(text)} is not a valid value`,
  nameTooLong: () => `name is longer than ${MAX_NAME_LENGTH} characters`,
  nameControl: () => 'name holds a control character (a tab, line break or text direction mark)',
  nameNoLetter: () => 'name has no letter in it',
  nameTwice: (upn: string, earlierLine: number | string) =>
    `${upn} has another name on line ${earlierLine}: send one name per pupil`,
  codeTwice: (upn: string, date: string, session: string, earlierLine: number | string, earlierCode: string) =>
    `${upn} ${date} ${session} is also on line ${earlierLine} with code ${earlierCode}: send one code per pupil-session`,
  empty: () => 'The file is empty: send a header row and one row per pupil per session',
  noMarks: () => 'The file has a header row but no marks',
  nul: () => 'The file contains a NUL byte: send plain UTF-8 text',
  notUtf8: () => 'The file is not valid UTF-8 text: save it as UTF-8 CSV',
  malformed: (message: string) => `The CSV is malformed: ${excerpt(message, MESSAGE_LIMIT)}`,
} as const;

export interface RowError {
  line: number;
  column: number | null;
  message: string;
}

export class PayloadTooLarge extends Error {}

export interface ParseContext {
  knownUrns: { has(urn: number): boolean };
  /** Whether the caller may submit for this URN. */
  mayWrite(urn: number): boolean;
  /**
   * The first date a mark may carry (today is the last). The service holds this academic year and the last; an older
   * date is a mistake (1999, 0001-01-01), and one mark dated before 1970, which ClickHouse cannot store, once failed
   * every roll-up taken with it.
   */
  earliest: string;
  today: string;
  maxBytes: number;
}

export interface ParsedRegister {
  /** Pupil-sessions: the rows, less those sent twice with the same code. */
  rows: number;
  /** Those rows as a plain CSV in REWRITTEN_LAYOUT (each pupil-session once), for the engine to check and store. */
  csv: Buffer;
  sha256: string;
}

export type ParseOutcome =
  { ok: true; register: ParsedRegister } | { ok: false; status: 400 | 403; errors: RowError[] };

/** The body's bytes, and the first problem with them that makes reading its rows pointless. */
export interface RegisterBytes {
  /** The chunks as they came, up to the one with a byte error (not included). */
  chunks: Buffer[];
  sha256: string;
  /** Line breaks in those chunks. */
  newlines: number;
  error: RowError | null;
  /**
   * The body ends inside a UTF-8 character: the reference reader reads it as U+FFFD (as it always has), which the
   * engine would not, so such a body is read here.
   */
  unfinishedCharacter: boolean;
}

/**
 * Reads a streamed body, checking only bytes: its size (PayloadTooLarge past maxBytes, without reading further), NUL
 * bytes (and on which line) and UTF-8. Nothing here looks at rows.
 */
export async function readRegister(source: AsyncIterable<Buffer>, maxBytes: number): Promise<RegisterBytes> {
  const chunks: Buffer[] = [];
  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  let newlines = 0;
  let error: RowError | null = null;
  for await (const chunk of source) {
    bytes += chunk.length;
    if (bytes > maxBytes) throw new PayloadTooLarge(`The file is larger than ${maxBytes / 1_000_000} MB`);
    hash.update(chunk);
    // The rest is not read: the answer is an error either way.
    const nul = chunk.indexOf(0);
    if (nul >= 0) {
      error = { line: newlines + countNewlines(chunk, nul) + 1, column: null, message: REGISTER_MESSAGES.nul() };
      break;
    }
    try {
      decoder.decode(chunk, { stream: true });
    } catch {
      // The line after the last whole chunk's, as the reader has always said.
      error = { line: newlines + 1, column: null, message: REGISTER_MESSAGES.notUtf8() };
      break;
    }
    newlines += countNewlines(chunk, chunk.length);
    chunks.push(chunk);
  }
  let unfinishedCharacter = false;
  if (!error) {
    try {
      decoder.decode();
    } catch {
      unfinishedCharacter = true;
    }
  }
  return { chunks, sha256: hash.digest('hex'), newlines, error, unfinishedCharacter };
}

/** The reference reader: a streamed body's bytes, then its rows, checked here in JavaScript (see the top). */
export async function parseRegister(source: AsyncIterable<Buffer>, ctx: ParseContext): Promise<ParseOutcome> {
  const file = await readRegister(source, ctx.maxBytes);
  return checkRegister(file, ctx);
}

/** The rows of a body read by readRegister, checked; a byte error there is reported after the rows before it. */
export async function checkRegister(file: RegisterBytes, ctx: ParseContext): Promise<ParseOutcome> {
  const errors: RowError[] = [];
  let forbidden = false;
  const fail = (line: number, column: number | null, message: string) => {
    if (errors.length < MAX_ERRORS) errors.push({ line, column, message });
  };
  const out: string[] = [];
  const outChunks: Buffer[] = [];
  const seen = new Map<string, string>();
  const validUpns = new Set<string>();
  // Values met before and found valid: a file repeats few distinct URNs, dates and characteristics.
  const validUrns = new Map<string, number>();
  const validDates = new Set<string>();
  const validCharacteristics = OPTIONAL_COLUMNS.map(() => new Set<string>(['']));
  let columns: Columns | null = null;
  let optional: number[] = [];
  let nameColumn = -1;
  // Each (urn, upn)'s name and the line it was first on: one pupil has one name in a file.
  const namesSeen = new Map<string, string>();
  let rows = 0;
  let stopped = false;

  // Each record is checked as the parser makes it (on_record), and dropped: nothing is queued between the two.
  const onRecord = (record: string[], line: number) => {
    if (stopped) return;
    if (!columns) {
      const layout = layoutOf(record);
      if ('missing' in layout) {
        fail(line, null, REGISTER_MESSAGES.missingColumns(layout.missing));
        stopped = true;
        return;
      }
      columns = Object.fromEntries(REQUIRED_COLUMNS.map((c) => [c, layout.columns[c]])) as Columns;
      optional = OPTIONAL_COLUMNS.map((c) => layout.columns[c]);
      nameColumn = layout.columns[NAME_COLUMN];
      return;
    }
    rows++;
    const before = errors.length;

    const urnText = record[columns.urn] ?? '';
    let urn = validUrns.get(urnText);
    if (urn === undefined) {
      const number = /^\d{1,9}$/.test(urnText) ? Number(urnText) : NaN;
      if (Number.isNaN(number)) fail(line, columns.urn + 1, REGISTER_MESSAGES.urnNotDigits(urnText));
      else if (!ctx.knownUrns.has(number)) fail(line, columns.urn + 1, REGISTER_MESSAGES.urnUnknown(number));
      else if (!ctx.mayWrite(number)) {
        forbidden = true;
        fail(line, columns.urn + 1, REGISTER_MESSAGES.urnForbidden(number));
      } else validUrns.set(urnText, (urn = number));
    }
    const upn = record[columns.upn] ?? '';
    if (!validUpns.has(upn)) {
      if (/^[A-Za-z0-9]{1,32}$/.test(upn)) validUpns.add(upn);
      else fail(line, columns.upn + 1, REGISTER_MESSAGES.upn(upn));
    }
    const date = record[columns.date] ?? '';
    if (!validDates.has(date)) {
      if (!isIsoDate(date)) fail(line, columns.date + 1, REGISTER_MESSAGES.dateNotReal(date));
      else if (date < ctx.earliest || date > ctx.today)
        fail(line, columns.date + 1, REGISTER_MESSAGES.dateOutside(date, ctx.earliest, ctx.today));
      else validDates.add(date);
    }
    const sessionText = record[columns.session] ?? '';
    const session = sessionText.toUpperCase();
    if (session !== 'AM' && session !== 'PM') fail(line, columns.session + 1, REGISTER_MESSAGES.session(sessionText));
    const codeText = record[columns.code] ?? '';
    const code = codeText.toUpperCase();
    const registerCode = REGISTER_CODES.get(code);
    if (!registerCode) fail(line, columns.code + 1, REGISTER_MESSAGES.code(codeText));
    const yearGroupText = record[columns.year_group] ?? '';
    if (!YEAR_GROUPS.has(yearGroupText.toUpperCase()))
      fail(line, columns.year_group + 1, REGISTER_MESSAGES.yearGroup(yearGroupText));
    const characteristics: string[] = [];
    for (let c = 0; c < OPTIONAL_COLUMNS.length; c++) {
      const text = optional[c] < 0 ? '' : (record[optional[c]] ?? '');
      const v = text.toUpperCase();
      if (!validCharacteristics[c].has(v)) {
        if (CHARACTERISTICS[c].test(v)) validCharacteristics[c].add(v);
        else fail(line, optional[c] + 1, REGISTER_MESSAGES.characteristic(OPTIONAL_COLUMNS[c], text));
      }
      characteristics.push(v);
    }
    // A name is personal data: its errors say what is wrong with it and never quote it. A value far too long (a whole
    // file in one cell) is refused before it is normalised or split into characters: 4 UTF-16 units a character is
    // more than any name takes, even decomposed (a Hangul syllable in jamo takes 3).
    const sent = nameColumn < 0 ? '' : (record[nameColumn] ?? '');
    const name = sent.length > 4 * MAX_NAME_LENGTH ? sent : sent.normalize('NFC');
    if (name) {
      if (name.length > 4 * MAX_NAME_LENGTH || (name.length > MAX_NAME_LENGTH && [...name].length > MAX_NAME_LENGTH))
        fail(line, nameColumn + 1, REGISTER_MESSAGES.nameTooLong());
      else if (NAME_CONTROLS.test(name)) fail(line, nameColumn + 1, REGISTER_MESSAGES.nameControl());
      else if (!/\p{L}/u.test(name)) fail(line, nameColumn + 1, REGISTER_MESSAGES.nameNoLetter());
    }
    if (errors.length > before || !registerCode || urn === undefined) return;
    if (name) {
      const nameKey = `${urn}|${upn.toUpperCase()}`;
      const earlierName = namesSeen.get(nameKey);
      if (earlierName === undefined) namesSeen.set(nameKey, `${line}@${name}`);
      else if (earlierName.slice(earlierName.indexOf('@') + 1) !== name) {
        const earlierLine = earlierName.slice(0, earlierName.indexOf('@'));
        fail(line, nameColumn + 1, REGISTER_MESSAGES.nameTwice(upn, earlierLine));
        return;
      }
    }

    const seenKey = `${urn}|${upn}|${date}|${session}`;
    const earlier = seen.get(seenKey);
    if (earlier !== undefined) {
      const [earlierCode, earlierLine] = earlier.split('@');
      if (earlierCode !== code)
        fail(line, columns.code + 1, REGISTER_MESSAGES.codeTwice(upn, date, session, earlierLine, earlierCode));
      return;
    }
    seen.set(seenKey, `${code}@${line}`);
    if (errors.length) return;

    // The row as the engine is to read it: values as checked here (upper-cased where they are compared so), the name
    // normalised, quoted only where CSV needs it.
    const fields = [String(urn), upn, date, session, code, yearGroupText.toUpperCase(), ...characteristics, name];
    out.push(`${fields.map(csvField).join(',')}\n`);
    if (out.length >= 10_000) outChunks.push(Buffer.from(out.splice(0).join('')));
  };

  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    trim: true,
    on_record: (record: string[], { lines }: { lines: number }) => {
      onRecord(record, lines);
      return null;
    },
  });

  const feeding = (async () => {
    for (const chunk of file.chunks) {
      if (parser.destroyed) return;
      if (!parser.write(chunk)) await drainedOrClosed(parser);
    }
    if (file.error) throw new FileError(file.error.line, file.error.message);
    parser.end();
  })().catch((error: unknown) => parser.destroy(error as Error));

  try {
    // on_record keeps every record back: this only waits for the end of the file or its first error.
    for await (const _ of parser) void _;
  } catch (error) {
    if (error instanceof FileError) fail(error.line ?? file.newlines + 1, null, error.message);
    else if (error instanceof CsvError) {
      fail(csvErrorLine(error), null, REGISTER_MESSAGES.malformed(error.message.replace(/^Invalid \w+:?\s*/, '')));
    } else throw error;
  }
  parser.destroy();
  await feeding;
  if (!columns && !errors.length) fail(1, null, REGISTER_MESSAGES.empty());
  else if (rows === 0 && !errors.length) fail(2, null, REGISTER_MESSAGES.noMarks());
  if (errors.length) return { ok: false, status: forbidden ? 403 : 400, errors };
  outChunks.push(Buffer.from(out.join('')));
  return { ok: true, register: { rows: seen.size, csv: Buffer.concat(outChunks), sha256: file.sha256 } };
}

/** A value as a CSV field: quoted where it holds a delimiter, a quote, a line break or trimmable space at an end. */
function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

type Columns = Record<(typeof REQUIRED_COLUMNS)[number], number>;

class FileError extends Error {
  constructor(
    readonly line: number | null,
    message: string,
  ) {
    super(message);
  }
}

function drainedOrClosed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

function countNewlines(chunk: Buffer, end: number): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i >= 0 && i < end; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

function csvErrorLine(error: CsvError): number {
  const lines = (error as unknown as { lines?: number }).lines;
  return typeof lines === 'number' ? lines : 1;
}
