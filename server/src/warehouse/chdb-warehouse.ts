import { mkdirSync } from 'node:fs';
import { Session } from 'chdb';
import {
  JSON_SETTINGS,
  Secret,
  boundParams,
  parseJsonEachRow,
  type InsertFormat,
  type InsertSettings,
  type Lane,
  type QueryParams,
  type Warehouse,
} from './warehouse.js';

/**
 * How many statements of each lane run at once (a connection each). Background work (roll-ups, reconciliation) runs in
 * order, one statement at a time, as it always has; requests, pushes and submissions run beside it and beside each
 * other; a third request connection answers registers sooner than two did (docs/benchmarks.md, Shared staging
 * tables). chDB's statements run on libuv's thread pool, which file reads, compression and crypto share: the launchers
 * (npm start, npm run serve, the image, the tests' servers) set UV_THREADPOOL_SIZE=8 (libuv's default is 4) so that
 * those never wait for a statement; libuv reads it before any of the process's code runs.
 */
export const AT_ONCE: Record<Lane, number> = { interactive: 3, background: 1 };
/**
 * Above this resident size, the engine's allocator hands its freed pages back to the OS after a roll-up statement (a
 * ClickHouse server's memory worker does this; the embedded engine has none). Otherwise the pages its large statements
 * freed stay counted as the process's own (docs/benchmarks.md, Profiles and fixes).
 */
const PURGE_ABOVE_BYTES = 1_000_000_000;
/** Statements carry their values as literals (inlineParams): long lists of schools and days need more than 256 KiB. */
const MAX_QUERY_SIZE = 64 << 20;

/**
 * Embedded ClickHouse (chDB) with its data under dataDir. chDB binds one data directory per process, so the API,
 * the workers and the simulator share its connections. Only the async API is used: the sync one blocks the event loop.
 *
 * A chDB connection runs one statement at a time, and its Node binding runs all of a process's parameterised statements
 * one after another, whatever their connection (libchdb's parameter handling is not safe to run twice at once). So each
 * lane has connections of its own (AT_ONCE), and a statement's parameters are written into it as typed literals
 * (inlineParams): a request, a push or a submission never waits for a roll-up statement. Only a statement carrying a
 * Secret is bound, and takes its turn in the binding's queue (where nothing else waits).
 */
export class ChdbWarehouse implements Warehouse {
  readonly engine = 'chdb' as const;
  private readonly sessions: Session[] = [];
  private readonly idle: Record<Lane, Session[]>;
  private readonly waiting: Record<Lane, ((session: Session) => void)[]> = { interactive: [], background: [] };
  /** Statements waiting for a connection or running. */
  private busy = 0;
  /** Settled once close() has seen every statement under way finish. */
  private closing?: Promise<void>;
  private onIdle?: () => void;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    const args = Object.entries({ ...JSON_SETTINGS, max_query_size: MAX_QUERY_SIZE }).map(([k, v]) => `--${k}=${v}`);
    const open = (lane: Lane) =>
      Array.from({ length: AT_ONCE[lane] }, () => {
        const session = new Session(dataDir, { connectionArgs: args });
        this.sessions.push(session);
        return session;
      });
    this.idle = { background: open('background'), interactive: open('interactive') };
  }

  async query<T>(sql: string, params: QueryParams = {}, lane: Lane = 'interactive'): Promise<T[]> {
    const result = await this.inTurn(lane, (session) => run(session, sql, params, 'JSONEachRow'));
    return parseJsonEachRow<T>(result.text());
  }

  async command(sql: string, params: QueryParams = {}, lane: Lane = 'interactive'): Promise<void> {
    await this.inTurn(lane, (session) => run(session, sql, params, 'TabSeparated'));
  }

  async insert(
    table: string,
    columns: readonly string[],
    rows: Buffer,
    format: InsertFormat,
    settings?: InsertSettings,
  ): Promise<void> {
    // chDB sends the rows as the inline data of an INSERT statement, which a blank line ends: what follows it would
    // run as SQL. Rows never hold one (a register with one is re-written first: submission/register-check.ts).
    if (rows.includes('\n\n')) throw new Error(`Refused an insert into ${table}: its rows hold a blank line`);
    await this.inTurn('interactive', (session) =>
      session.insert({ table, columns, values: rows, format, ...(settings && { settings }) }),
    );
  }

  /** Runs on one of the lane's connections, once one is free (first come, first served). */
  private async inTurn<T>(lane: Lane, work: (session: Session) => Promise<T>): Promise<T> {
    if (this.closing) throw new Error('ClickHouse (embedded) is closing');
    this.busy++;
    const session =
      this.idle[lane].pop() ?? (await new Promise<Session>((resolve) => this.waiting[lane].push(resolve)));
    try {
      return await work(session);
    } finally {
      // One that fails only leaves the pages where they were.
      if (lane === 'background' && process.memoryUsage.rss() > PURGE_ABOVE_BYTES)
        await session.queryAsync('SYSTEM JEMALLOC PURGE').catch(() => undefined);
      const next = this.waiting[lane].shift();
      if (next) next(session);
      else this.idle[lane].push(session);
      if (--this.busy === 0) this.onIdle?.();
    }
  }

  /**
   * Takes no new statement, lets those under way finish, then closes the connections: a connection closed under a
   * running statement is torn down only when the process exits, which then waits for the engine.
   */
  async close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.onIdle = resolve;
      if (this.busy === 0) resolve();
    });
    await this.closing;
    for (const session of this.sessions.splice(0)) session.close();
  }
}

function run(session: Session, sql: string, params: QueryParams, format: 'JSONEachRow' | 'TabSeparated') {
  return Object.values(params).some((value) => value instanceof Secret)
    ? session.queryBindAsync(sql, boundParams(params), { format })
    : session.queryAsync(inlineParams(sql, params), { format });
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*):\s*([A-Za-z0-9_(), ]+?)\s*\}/g;

/**
 * The statement with each `{name:Type}` replaced by `_CAST(literal, 'Type')`, as ClickHouse itself substitutes a bound
 * parameter: the value written as a literal of the declared type. Only the types the statements declare are known;
 * any other type, a missing value, or a value of the wrong kind throws rather than guess.
 */
export function inlineParams(sql: string, params: QueryParams): string {
  return sql.replace(PLACEHOLDER, (_, name: string, type: string) => {
    if (!(name in params)) throw new Error(`No value for the parameter {${name}:${type}}`);
    return `_CAST(${literal(params[name], type, name)}, '${type}')`;
  });
}

const NUMBER_TYPE = /^(U?Int(8|16|32|64)|Float(32|64))$/;
const TEXT_TYPE = /^(String|UUID|Date|Date32|DateTime|DateTime64\(\d\))$/;

function literal(value: unknown, type: string, name: string): string {
  const element = /^Array\((.+)\)$/.exec(type)?.[1];
  if (element) {
    if (!Array.isArray(value)) throw new Error(`The parameter ${name} (${type}) is not an array`);
    return `[${value.map((v) => literal(v, element, name)).join(',')}]`;
  }
  if (NUMBER_TYPE.test(type)) {
    if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint') return String(value);
    if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return value;
    throw new Error(`The parameter ${name} (${type}) is not a number`);
  }
  if (TEXT_TYPE.test(type)) {
    if (typeof value !== 'string' && typeof value !== 'number')
      throw new Error(`The parameter ${name} (${type}) is not text`);
    return quoted(String(value));
  }
  throw new Error(`The parameter ${name} has a type this warehouse does not write as a literal: ${type}`);
}

/** A ClickHouse string literal: the backslash and the quote escaped, and every control character as \xHH. */
function quoted(text: string): string {
  // eslint-disable-next-line no-control-regex
  const escaped = text.replace(/[\\'\x00-\x1f\x7f]/g, (c) =>
    c === '\\' || c === "'" ? `\\${c}` : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return `'${escaped}'`;
}
