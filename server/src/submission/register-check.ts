// A register checked where it is stored: staged in ClickHouse and checked there (register.repository.ts), with the
// reference reader (register-parser.ts) answering for the files the engine would read otherwise. JavaScript reads
// the body's bytes here, never its rows, but for those files.
import { parse } from 'csv-parse/sync';
import {
  checkRegister,
  layoutOf,
  MAX_ERRORS,
  OPTIONAL_COLUMNS,
  REGISTER_MESSAGES,
  REWRITTEN_LAYOUT,
  type RegisterBytes,
  type RegisterLayout,
  type RowError,
} from './register-parser.js';
import {
  CHECKS,
  type RegisterRepository,
  type RegisterRules,
  type RowProblem,
  type StagedRegister,
  type StagedRows,
} from './register.repository.js';

export type EngineCheck = { ok: true; register: StagedRegister } | { ok: false; status: 400 | 403; errors: RowError[] };

/**
 * The register staged and checked in ClickHouse: staged (its table to be dropped by the caller), or its errors (403
 * when a URN is outside the submitter's scope). The reference reader answers instead only where the engine would read
 * the file otherwise or could not say on which line a row is: a byte error, a header that is not one plain line, a
 * body the engine cannot parse (broken quoting, a ragged row, a blank line), cells it may read otherwise than
 * csv-parse (rowsSql's divergent_row), or errors in a file whose cells hold line breaks. A file that reader accepts
 * is staged again as the plain CSV it re-writes, and checked and stored like any other.
 */
export async function checkRegisterInEngine(
  registers: RegisterRepository,
  file: RegisterBytes,
  rules: RegisterRules,
  mayWrite: (urn: number) => boolean,
): Promise<EngineCheck> {
  /** The check of a staged register; its rows released if the check fails. */
  const checked = (staged: StagedRows, layout: RegisterLayout, rewritten: boolean) =>
    registers.check(staged, layout, rules, rewritten).catch(async (error: unknown) => {
      await registers.release(staged);
      throw error;
    });
  // A header without a required column is the reference reader's too: it goes on to say what else is wrong.
  const plain = file.error || file.unfinishedCharacter ? null : plainRegister(file.chunks);
  if (plain) {
    const staged = await registers.stage(plain.rows, plain.layout);
    if (staged) {
      const verdict = await checked(staged, plain.layout, false);
      if (verdict.kind === 'accepted') return { ok: true, register: verdict.register };
      await registers.release(staged);
      if (verdict.kind === 'refused' && !verdict.multiline) {
        if (!verdict.records)
          return { ok: false, status: 400, errors: [{ line: 2, column: null, message: REGISTER_MESSAGES.noMarks() }] };
        return {
          ok: false,
          status: verdict.forbidden ? 403 : 400,
          errors: errorsOf(verdict.problems, plain.layout, rules),
        };
      }
    }
  }
  const outcome = await checkRegister(file, {
    knownUrns: new Set(rules.knownUrns),
    mayWrite,
    earliest: rules.earliest,
    today: rules.today,
    maxBytes: Infinity,
  });
  if (!outcome.ok) return outcome;
  const staged = await registers.stage(outcome.register.csv, REWRITTEN_LAYOUT);
  if (!staged) throw new Error('The engine could not read the rows the reference reader re-wrote');
  const verdict = await checked(staged, REWRITTEN_LAYOUT, true);
  if (verdict.kind === 'accepted') return { ok: true, register: verdict.register };
  await registers.release(staged);
  // The two readers disagree (a fault here): refused all the same, nothing stored; the lines are the re-written file's.
  if (verdict.kind === 'refused')
    return {
      ok: false,
      status: verdict.forbidden ? 403 : 400,
      errors: errorsOf(verdict.problems, REWRITTEN_LAYOUT, rules),
    };
  throw new Error('The engine could not read the rows the reference reader re-wrote');
}

/**
 * A register the engine can read as the reference reader would, from its bytes alone: its header one line (no quoted
 * line break in it, no carriage return but one ending it) and csv-parse's reading of it; its rows the bytes after it,
 * less the line breaks ending the file. Null where the reference reader is to read it: a header on another line than
 * the first or without a required column; a blank line among the rows (chDB's inline insert data ends at one, and
 * what follows would be read as SQL); a cell spelt `\N` (the engine reads it as an empty cell); a header that ends
 * with CRLF over rows that do not all (csv-parse then takes only CRLF as the end of a row). Reads bytes, never a row.
 */
function plainRegister(chunks: Buffer[]): { layout: RegisterLayout; rows: Buffer } | null {
  const body = Buffer.concat(chunks);
  const bom = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  const end = body.indexOf(10, bom);
  const crlf = end > 0 && body[end - 1] === 13;
  const header = body.toString('utf8', bom, end < 0 ? body.length : crlf ? end - 1 : end);
  let last = body.length;
  while (last > end && (body[last - 1] === 10 || body[last - 1] === 13)) last--;
  const rows = end < 0 ? Buffer.alloc(0) : body.subarray(end + 1, Math.max(last, end + 1));
  if (!header.trim() || header.includes('\r')) return null;
  if (body.subarray(0, last).includes('\n\n') || rows.includes('\\N')) return null;
  if (crlf) for (let i = rows.indexOf(10); i >= 0; i = rows.indexOf(10, i + 1)) if (rows[i - 1] !== 13) return null;
  let names: string[];
  try {
    const records = parse(header, { trim: true }) as string[][];
    if (records.length !== 1) return null;
    names = records[0];
  } catch {
    return null;
  }
  const layout = layoutOf(names);
  return 'missing' in layout ? null : { layout, rows };
}

/** The checks' findings as the reference reader words them: line and column in the file, the first 100. */
function errorsOf(problems: RowProblem[], layout: RegisterLayout, rules: RegisterRules): RowError[] {
  const { columns } = layout;
  const lineOf = (row: number) => row + 2;
  const columnOf = (check: number): number => {
    if (check <= CHECKS.urnForbidden) return columns.urn + 1;
    if (check === CHECKS.upn) return columns.upn + 1;
    if (check <= CHECKS.dateOutside) return columns.date + 1;
    if (check === CHECKS.session) return columns.session + 1;
    if (check === CHECKS.code || check === CHECKS.codeTwice) return columns.code + 1;
    if (check === CHECKS.yearGroup) return columns.year_group + 1;
    if (check < CHECKS.nameTooLong) return columns[OPTIONAL_COLUMNS[check - CHECKS.characteristic]] + 1;
    return columns.name + 1;
  };
  const messageOf = (p: RowProblem): string => {
    const m = REGISTER_MESSAGES;
    switch (p.check) {
      case CHECKS.urnNotDigits:
        return m.urnNotDigits(p.value);
      case CHECKS.urnUnknown:
        return m.urnUnknown(Number(p.value));
      case CHECKS.urnForbidden:
        return m.urnForbidden(Number(p.value));
      case CHECKS.upn:
        return m.upn(p.value);
      case CHECKS.dateNotReal:
        return m.dateNotReal(p.value);
      case CHECKS.dateOutside:
        return m.dateOutside(p.value, rules.earliest, rules.today);
      case CHECKS.session:
        return m.session(p.value);
      case CHECKS.code:
        return m.code(p.value);
      case CHECKS.yearGroup:
        return m.yearGroup(p.value);
      case CHECKS.nameTooLong:
        return m.nameTooLong();
      case CHECKS.nameControl:
        return m.nameControl();
      case CHECKS.nameNoLetter:
        return m.nameNoLetter();
      case CHECKS.nameTwice:
        return m.nameTwice(p.upn, lineOf(p.earlierRow));
      case CHECKS.codeTwice:
        return m.codeTwice(p.upn, p.date, p.session, lineOf(p.earlierRow), p.earlierCode);
      default:
        return m.characteristic(OPTIONAL_COLUMNS[p.check - CHECKS.characteristic], p.value);
    }
  };
  return problems
    .slice(0, MAX_ERRORS)
    .map((p) => ({ line: lineOf(p.row), column: columnOf(p.check), message: messageOf(p) }));
}
