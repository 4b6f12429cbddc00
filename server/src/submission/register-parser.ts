// Streams a register CSV, validates every row, and renders the accepted rows as TabSeparated for one batch insert.
// The body is never held as JS objects: rows go straight to TSV buffers; only a compact key per pupil-session is kept
// to find the same pupil-session sent twice with different codes.
import { createHash } from 'node:crypto';
import { parse, CsvError } from 'csv-parse';
import { isIsoDate } from '../common/dates.js';
import { excerpt, MESSAGE_LIMIT, quoted } from '../common/echo.js';
import { COUNTED_YEAR_GROUPS, REGISTER_CODES, YEAR_GROUPS } from '../contract/vocabulary.js';

export const MAX_ERRORS = 100;
export const REQUIRED_COLUMNS = ['urn', 'upn', 'date', 'session', 'code', 'year_group'] as const;
const OPTIONAL_COLUMNS = ['sex', 'fsm', 'sen', 'eal', 'ethnicity', 'cin', 'cla', 'lsoa'] as const;
const CHARACTERISTICS: Record<(typeof OPTIONAL_COLUMNS)[number], RegExp> = {
  sex: /^[FM]$/,
  fsm: /^[YN]$/,
  sen: /^[NKE]$/,
  eal: /^[YN]$/,
  ethnicity: /^(WHIT|MIXD|ASIA|BLAC|CHNE|AOEG|UNCL)$/,
  cin: /^[YN]$/,
  cla: /^[YN]$/,
  lsoa: /^E01\d{6}$/,
};

/** The optional pupil name column: stored encrypted apart from the marks (pupil_names), never in a mark. */
export const NAME_COLUMN = 'name';
/** Longest name taken, in characters: the school census's legal forename (35) and surname (45) fit with room. */
export const MAX_NAME_LENGTH = 100;
// Characters no name holds and that would change how it shows: C0 and C1 controls (tab, newline, escape), line and
// paragraph separators, bidirectional embeddings, overrides and isolates (text shown in another order than stored)
// and the byte-order mark.
const NAME_CONTROLS = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/u;

/** Column order of the TSV rendered for table marks (submission_id and received_at appended by the caller's values). */
export const MARK_COLUMNS = [
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
  pupilKey(upn: string): string;
  submissionId: string;
  receivedAt: string;
  maxBytes: number;
}

export interface ParsedRegister {
  rows: number;
  tsv: Buffer;
  sha256: string;
  /** date list per URN: the (school, date) slices this submission touches. */
  slices: Map<number, Set<string>>;
  counted: number;
  /** Names sent (the optional name column), by URN and pupil_key: a later register with a name replaces it. */
  names: Map<number, Map<string, string>>;
}

export type ParseOutcome =
  { ok: true; register: ParsedRegister } | { ok: false; status: 400 | 403; errors: RowError[] };

export async function parseRegister(source: AsyncIterable<Buffer>, ctx: ParseContext): Promise<ParseOutcome> {
  const errors: RowError[] = [];
  let forbidden = false;
  const fail = (line: number, column: number | null, message: string) => {
    if (errors.length < MAX_ERRORS) errors.push({ line, column, message });
  };
  const out: string[] = [];
  const outChunks: Buffer[] = [];
  const seen = new Map<string, string>();
  const slices = new Map<number, Set<string>>();
  const keys = new Map<string, string>();
  // Values met before and found valid: a file repeats few distinct URNs, dates and characteristics.
  const validUrns = new Map<string, number>();
  const validDates = new Set<string>();
  const validCharacteristics = OPTIONAL_COLUMNS.map(() => new Set<string>(['']));
  let columns: Columns | null = null;
  let optional: number[] = [];
  let nameColumn = -1;
  // Each (urn, upn)'s name and the line it was first on: one pupil has one name in a file.
  const namesSeen = new Map<string, string>();
  const names = new Map<number, Map<string, string>>();
  let rows = 0;
  let counted = 0;
  let stopped = false;

  // Each record is checked as the parser makes it (on_record), and dropped: nothing is queued between the two.
  const onRecord = (record: string[], line: number) => {
    if (stopped) return;
    if (!columns) {
      const header = new Map(record.map((name, i) => [name.trim().toLowerCase(), i]));
      const missing = REQUIRED_COLUMNS.filter((c) => !header.has(c));
      if (missing.length) {
        fail(line, null, `Missing required column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
        stopped = true;
        return;
      }
      columns = Object.fromEntries(REQUIRED_COLUMNS.map((c) => [c, header.get(c)!])) as Columns;
      optional = OPTIONAL_COLUMNS.map((c) => header.get(c) ?? -1);
      nameColumn = header.get(NAME_COLUMN) ?? -1;
      return;
    }
    rows++;
    const before = errors.length;

    const urnText = record[columns.urn] ?? '';
    let urn = validUrns.get(urnText);
    if (urn === undefined) {
      const number = /^\d{1,9}$/.test(urnText) ? Number(urnText) : NaN;
      if (Number.isNaN(number)) fail(line, columns.urn + 1, `urn ${quoted(urnText)} is not a school URN (digits only)`);
      else if (!ctx.knownUrns.has(number))
        fail(line, columns.urn + 1, `urn ${number} is not a school in the reference data: upload it from GIAS first`);
      else if (!ctx.mayWrite(number)) {
        forbidden = true;
        fail(line, columns.urn + 1, `You may not submit registers for urn ${number}`);
      } else validUrns.set(urnText, (urn = number));
    }
    const upn = record[columns.upn] ?? '';
    if (!keys.has(upn) && !/^[A-Za-z0-9]{1,32}$/.test(upn)) {
      fail(line, columns.upn + 1, `upn ${quoted(upn)} must be 1-32 letters and digits`);
    }
    const date = record[columns.date] ?? '';
    if (!validDates.has(date)) {
      if (!isIsoDate(date)) fail(line, columns.date + 1, `date ${quoted(date)} is not a real date written YYYY-MM-DD`);
      else if (date < ctx.earliest || date > ctx.today) {
        const outside = date > ctx.today ? 'in the future' : `before ${ctx.earliest}`;
        const window = `registers are taken for ${ctx.earliest} to ${ctx.today} (today in England)`;
        fail(line, columns.date + 1, `date ${date} is ${outside}: ${window}`);
      } else validDates.add(date);
    }
    const sessionText = record[columns.session] ?? '';
    const session = sessionText.toUpperCase();
    if (session !== 'AM' && session !== 'PM') {
      fail(line, columns.session + 1, `session ${quoted(sessionText)} must be AM or PM`);
    }
    const codeText = record[columns.code] ?? '';
    const code = codeText.toUpperCase();
    const registerCode = REGISTER_CODES.get(code);
    if (!registerCode) fail(line, columns.code + 1, `code ${quoted(codeText)} is not a register code`);
    const yearGroupText = record[columns.year_group] ?? '';
    const yearGroup = yearGroupText.toUpperCase();
    if (!YEAR_GROUPS.has(yearGroup)) {
      fail(line, columns.year_group + 1, `year_group ${quoted(yearGroupText)} must be N1, N2, R or 1-14`);
    }
    let characteristics = '';
    for (let c = 0; c < OPTIONAL_COLUMNS.length; c++) {
      const text = optional[c] < 0 ? '' : (record[optional[c]] ?? '');
      const v = text.toUpperCase();
      if (!validCharacteristics[c].has(v)) {
        if (CHARACTERISTICS[OPTIONAL_COLUMNS[c]].test(v)) validCharacteristics[c].add(v);
        else fail(line, optional[c] + 1, `${OPTIONAL_COLUMNS[c]} ${quoted(text)} is not a valid value`);
      }
      characteristics += `${v}\t`;
    }
    // A name is personal data: its errors say what is wrong with it and never quote it. A value far too long (a whole
    // file in one cell) is refused before it is normalised or split into characters: 4 UTF-16 units a character is
    // more than any name takes, even decomposed (a Hangul syllable in jamo takes 3).
    const sent = nameColumn < 0 ? '' : (record[nameColumn] ?? '');
    const name = sent.length > 4 * MAX_NAME_LENGTH ? sent : sent.normalize('NFC');
    if (name) {
      if (name.length > 4 * MAX_NAME_LENGTH || (name.length > MAX_NAME_LENGTH && [...name].length > MAX_NAME_LENGTH))
        fail(line, nameColumn + 1, `name is longer than ${MAX_NAME_LENGTH} characters`);
      else if (NAME_CONTROLS.test(name))
        fail(line, nameColumn + 1, 'name holds a control character (a tab, line break or text direction mark)');
      else if (!/\p{L}/u.test(name)) fail(line, nameColumn + 1, 'name has no letter in it');
    }
    if (errors.length > before || !registerCode || urn === undefined) return;
    if (name) {
      const nameKey = `${urn}|${upn.toUpperCase()}`;
      const earlierName = namesSeen.get(nameKey);
      if (earlierName === undefined) namesSeen.set(nameKey, `${line}@${name}`);
      else if (earlierName.slice(earlierName.indexOf('@') + 1) !== name) {
        const earlierLine = earlierName.slice(0, earlierName.indexOf('@'));
        fail(line, nameColumn + 1, `${upn} has another name on line ${earlierLine}: send one name per pupil`);
        return;
      }
    }

    const seenKey = `${urn}|${upn}|${date}|${session}`;
    const earlier = seen.get(seenKey);
    if (earlier !== undefined) {
      const [earlierCode, earlierLine] = earlier.split('@');
      if (earlierCode !== code) {
        fail(
          line,
          columns.code + 1,
          `${upn} ${date} ${session} is also on line ${earlierLine} with code ${earlierCode}: send one code per pupil-session`,
        );
      }
      return;
    }
    seen.set(seenKey, `${code}@${line}`);
    if (errors.length) return;

    let key = keys.get(upn);
    if (!key) keys.set(upn, (key = ctx.pupilKey(upn)));
    if (name) {
      let schoolNames = names.get(urn);
      if (!schoolNames) names.set(urn, (schoolNames = new Map()));
      schoolNames.set(key, name);
    }
    let dates = slices.get(urn);
    if (!dates) slices.set(urn, (dates = new Set()));
    dates.add(date);
    if (COUNTED_YEAR_GROUPS.has(yearGroup)) counted++;
    out.push(
      `${urn}\t${date}\t${key}\t${session}\t${code === '\\' ? '\\\\' : code}\t${registerCode.category}\t${yearGroup}\t${characteristics}${ctx.submissionId}\t${ctx.receivedAt}\n`,
    );
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
  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  let newlines = 0;

  const feeding = (async () => {
    for await (const chunk of source) {
      bytes += chunk.length;
      if (bytes > ctx.maxBytes) throw new PayloadTooLarge(`The file is larger than ${ctx.maxBytes / 1_000_000} MB`);
      hash.update(chunk);
      const nul = chunk.indexOf(0);
      if (nul >= 0)
        throw new FileError(
          newlines + countNewlines(chunk, nul) + 1,
          'The file contains a NUL byte: send plain UTF-8 text',
        );
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        throw new FileError(null, 'The file is not valid UTF-8 text: save it as UTF-8 CSV');
      }
      newlines += countNewlines(chunk, chunk.length);
      if (parser.destroyed) return;
      if (!parser.write(chunk)) await drainedOrClosed(parser);
    }
    parser.end();
  })().catch((error: unknown) => parser.destroy(error as Error));

  try {
    // on_record keeps every record back: this only waits for the end of the file or its first error.
    for await (const _ of parser) void _;
  } catch (error) {
    if (error instanceof PayloadTooLarge) throw error;
    if (error instanceof FileError) fail(error.line ?? newlines + 1, null, error.message);
    else if (error instanceof CsvError) {
      const message = excerpt(error.message.replace(/^Invalid \w+:?\s*/, ''), MESSAGE_LIMIT);
      fail(csvErrorLine(error), null, `The CSV is malformed: ${message}`);
    } else throw error;
  }
  parser.destroy();
  await feeding;
  if (!columns && !errors.length)
    fail(1, null, 'The file is empty: send a header row and one row per pupil per session');
  else if (rows === 0 && !errors.length) fail(2, null, 'The file has a header row but no marks');
  if (errors.length) return { ok: false, status: forbidden ? 403 : 400, errors };
  outChunks.push(Buffer.from(out.join('')));
  return {
    ok: true,
    register: { rows: seen.size, tsv: Buffer.concat(outChunks), sha256: hash.digest('hex'), slices, counted, names },
  };
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
