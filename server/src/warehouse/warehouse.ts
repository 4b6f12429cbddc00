// The one interface to ClickHouse, with the same SQL for both engines: embedded chDB (default) or a server.
// Values reach SQL only as query parameters ({name:Type}), never by string building in a repository: the embedded
// engine's warehouse writes them into the statement as typed literals itself (chdb-warehouse.ts), all but secrets.

export type QueryParams = Record<string, unknown>;

/**
 * A parameter's value that must never be written into a statement's text, where an engine's error message or log
 * could quote it (a key): always sent as a bound parameter.
 */
export class Secret {
  constructor(readonly value: string) {}
  toJSON(): string {
    return '[secret]';
  }
}

/** The parameters as an engine binds them: secrets as their values. */
export function boundParams(params: QueryParams): QueryParams {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v instanceof Secret ? v.value : v]));
}
export type InsertFormat = 'TabSeparated' | 'JSONEachRow' | 'CSV';
/** Settings of one insert (how the engine reads its format). */
export type InsertSettings = Record<string, string | number>;
/**
 * A query's lane. Background work (roll-ups, reconciliation) goes in the background lane: on the embedded engine
 * (chDB) its statements run one at a time, beside a request's, a push's or a submission's, which never wait for them.
 */
export type Lane = 'interactive' | 'background';

export interface Warehouse {
  readonly engine: 'chdb' | 'server';
  /** Runs a SELECT and returns its rows (64-bit integers as JSON numbers). */
  query<T>(sql: string, params?: QueryParams, lane?: Lane): Promise<T[]>;
  /** Runs a statement that returns nothing (DDL, INSERT ... SELECT). */
  command(sql: string, params?: QueryParams, lane?: Lane): Promise<void>;
  /** One batch insert of pre-rendered rows; ClickHouse parses them. */
  insert(
    table: string,
    columns: readonly string[],
    rows: Buffer,
    format: InsertFormat,
    settings?: InsertSettings,
  ): Promise<void>;
  close(): Promise<void>;
}

export const WAREHOUSE = Symbol('Warehouse');

export const JSON_SETTINGS = {
  output_format_json_quote_64bit_integers: 0,
  output_format_json_quote_decimals: 0,
} as const;

export function parseJsonEachRow<T>(text: string): T[] {
  const rows: T[] = [];
  for (const line of text.split('\n')) if (line) rows.push(JSON.parse(line) as T);
  return rows;
}

/** DateTime64(6) parameter value for now, strictly increasing within this process (the version of replaced rows). */
let lastMicros = 0;
export function versionTimestamp(now = Date.now()): string {
  lastMicros = Math.max(lastMicros + 1, now * 1000);
  return dateTime64(lastMicros / 1000);
}

/** DateTime64(6) parameter value (UTC) for a time in milliseconds, to the microsecond. */
export function dateTime64(ms: number): string {
  const micros = Math.floor(ms * 1000);
  const date = new Date(Math.floor(micros / 1000));
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}.${String(micros % 1_000_000).padStart(6, '0')}`;
}
