// Streams a register CSV, validates every row, and renders the accepted rows as TabSeparated for one batch insert.
// The body is never held as JS objects: rows go straight to TSV buffers; only a compact key per pupil-session is kept
// to find the same pupil-session sent twice with different codes.
import { createHash } from 'node:crypto';
import { parse, CsvError } from 'csv-parse';
import { isIsoDate } from '../common/dates.js';
import { COUNTED_YEAR_GROUPS, REGISTER_CODES, YEAR_GROUPS } from './register-codes.js';

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

/** Column order of the TSV rendered for table marks (submission_id and received_at appended by the caller's values). */
export const MARK_COLUMNS = [
  'urn', 'date', 'pupil_key', 'session', 'code', 'category', 'year_group',
  ...OPTIONAL_COLUMNS, 'submission_id', 'received_at',
] as const;

export interface RowError {
  line: number;
  column: number | null;
  message: string;
}

export class PayloadTooLarge extends Error {}

export interface ParseContext {
  knownUrns: ReadonlySet<number>;
  /** Whether the caller may submit for this URN. */
  mayWrite(urn: number): boolean;
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
}

export type ParseOutcome = { ok: true; register: ParsedRegister } | { ok: false; status: 400 | 403; errors: RowError[] };

export async function parseRegister(source: AsyncIterable<Buffer>, ctx: ParseContext): Promise<ParseOutcome> {
  const errors: RowError[] = [];
  let forbidden = false;
  const fail = (line: number, column: number | null, message: string) => {
    if (errors.length < MAX_ERRORS) errors.push({ line, column, message });
  };
  const parser = parse({ bom: true, skip_empty_lines: true, trim: true, info: true });
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
      if (nul >= 0) throw new FileError(newlines + countNewlines(chunk, nul) + 1, 'The file contains a NUL byte: send plain UTF-8 text');
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

  const out: string[] = [];
  const outChunks: Buffer[] = [];
  const seen = new Map<string, string>();
  const slices = new Map<number, Set<string>>();
  const keys = new Map<string, string>();
  const dateChecks = new Map<string, boolean>();
  const realDate = (date: string) => {
    let ok = dateChecks.get(date);
    if (ok === undefined) dateChecks.set(date, (ok = isIsoDate(date)));
    return ok;
  };
  let header: Map<string, number> | null = null;
  let rows = 0;
  let counted = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = info.lines;
      if (!header) {
        header = new Map(record.map((name, i) => [name.trim().toLowerCase(), i]));
        const missing = REQUIRED_COLUMNS.filter((c) => !header!.has(c));
        if (missing.length) {
          fail(line, null, `Missing required column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
          break;
        }
        continue;
      }
      rows++;
      const col = (name: string) => header!.get(name);
      const value = (name: string) => {
        const i = col(name);
        return i === undefined ? '' : (record[i] ?? '');
      };
      const at = (name: string) => (col(name) ?? -1) + 1;
      const before = errors.length;

      const urnText = value('urn');
      const urn = /^\d{1,9}$/.test(urnText) ? Number(urnText) : NaN;
      if (Number.isNaN(urn)) fail(line, at('urn'), `urn "${urnText}" is not a school URN (digits only)`);
      else if (!ctx.knownUrns.has(urn)) fail(line, at('urn'), `urn ${urn} is not a school in the reference data: upload it from GIAS first`);
      else if (!ctx.mayWrite(urn)) {
        forbidden = true;
        fail(line, at('urn'), `You may not submit registers for urn ${urn}`);
      }
      const upn = value('upn');
      if (!/^[A-Za-z0-9]{1,32}$/.test(upn)) fail(line, at('upn'), `upn "${upn}" must be 1-32 letters and digits`);
      const date = value('date');
      if (!realDate(date)) fail(line, at('date'), `date "${date}" is not a real date written YYYY-MM-DD`);
      else if (date > ctx.today) fail(line, at('date'), `date ${date} is in the future (today is ${ctx.today} in England)`);
      const session = value('session').toUpperCase();
      if (session !== 'AM' && session !== 'PM') fail(line, at('session'), `session "${value('session')}" must be AM or PM`);
      const code = value('code').toUpperCase();
      const registerCode = REGISTER_CODES.get(code);
      if (!registerCode) fail(line, at('code'), `code "${value('code')}" is not a register code`);
      const yearGroup = value('year_group').toUpperCase();
      if (!YEAR_GROUPS.has(yearGroup)) fail(line, at('year_group'), `year_group "${value('year_group')}" must be N1, N2, R or 1-14`);
      const characteristics = OPTIONAL_COLUMNS.map((name) => {
        const v = value(name).toUpperCase();
        if (v !== '' && !CHARACTERISTICS[name].test(v)) fail(line, at(name), `${name} "${value(name)}" is not a valid value`);
        return v;
      });
      if (errors.length > before || !registerCode) continue;

      const seenKey = `${urn}|${upn}|${date}|${session}`;
      const earlier = seen.get(seenKey);
      if (earlier !== undefined) {
        const [earlierCode, earlierLine] = earlier.split('@');
        if (earlierCode !== code) {
          fail(line, at('code'), `${upn} ${date} ${session} is also on line ${earlierLine} with code ${earlierCode}: send one code per pupil-session`);
        }
        continue;
      }
      seen.set(seenKey, `${code}@${line}`);
      if (errors.length) continue;

      let key = keys.get(upn);
      if (!key) keys.set(upn, (key = ctx.pupilKey(upn)));
      let dates = slices.get(urn);
      if (!dates) slices.set(urn, (dates = new Set()));
      dates.add(date);
      if (COUNTED_YEAR_GROUPS.has(yearGroup)) counted++;
      out.push(
        `${urn}\t${date}\t${key}\t${session}\t${code === '\\' ? '\\\\' : code}\t${registerCode.category}\t${yearGroup}\t${characteristics.join('\t')}\t${ctx.submissionId}\t${ctx.receivedAt}\n`,
      );
      if (out.length >= 10_000) outChunks.push(Buffer.from(out.splice(0).join('')));
    }
  } catch (error) {
    if (error instanceof PayloadTooLarge) throw error;
    if (error instanceof FileError) fail(error.line ?? newlines + 1, null, error.message);
    else if (error instanceof CsvError) fail(csvErrorLine(error), null, `The CSV is malformed: ${error.message.replace(/^Invalid \w+:?\s*/, '')}`);
    else throw error;
  }
  parser.destroy();
  await feeding;
  if (!header && !errors.length) fail(1, null, 'The file is empty: send a header row and one row per pupil per session');
  else if (rows === 0 && !errors.length) fail(2, null, 'The file has a header row but no marks');
  if (errors.length) return { ok: false, status: forbidden ? 403 : 400, errors };
  outChunks.push(Buffer.from(out.join('')));
  return { ok: true, register: { rows: seen.size, tsv: Buffer.concat(outChunks), sha256: hash.digest('hex'), slices, counted } };
}

class FileError extends Error {
  constructor(readonly line: number | null, message: string) {
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
