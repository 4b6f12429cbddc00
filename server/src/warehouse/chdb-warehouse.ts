import { mkdirSync } from 'node:fs';
import { Session } from 'chdb';
import {
  JSON_SETTINGS,
  parseJsonEachRow,
  type InsertFormat,
  type InsertSettings,
  type Lane,
  type QueryParams,
  type Warehouse,
} from './warehouse.js';

/** Interactive queries taken one after another, at most, while a background one waits: roll-ups are never starved. */
export const INTERACTIVE_RUN = 8;
/**
 * Above this resident size, the engine's allocator hands its freed pages back to the OS after a roll-up statement (a
 * ClickHouse server's memory worker does this; the embedded engine has none). Otherwise the pages its large statements
 * freed stay counted as the process's own (docs/benchmarks.md, Profiles and fixes).
 */
const PURGE_ABOVE_BYTES = 1_000_000_000;

/**
 * Embedded ClickHouse (chDB) with its data under dataDir. chDB binds one data directory per process, so the API,
 * the workers and the simulator share this one session. Only the async API is used: the sync one blocks the event loop.
 *
 * chDB's Node binding runs all of a process's parameterised queries one at a time, in order of arrival (inserts could
 * run beside them; here they take their turn too). So this hands it one query at a time and chooses the next itself:
 * interactive ones first (up to INTERACTIVE_RUN in a row while background work waits), so that a request, a push or a
 * submission's lookup waits for the one query running, not for a queue of roll-ups.
 */
export class ChdbWarehouse implements Warehouse {
  readonly engine = 'chdb' as const;
  private readonly session: Session;
  private readonly waiting: Record<Lane, (() => void)[]> = { interactive: [], background: [] };
  private busy = false;
  private interactiveRun = 0;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.session = new Session(dataDir, {
      connectionArgs: Object.entries(JSON_SETTINGS).map(([key, value]) => `--${key}=${value}`),
    });
  }

  async query<T>(sql: string, params: QueryParams = {}, lane: Lane = 'interactive'): Promise<T[]> {
    const result = await this.inTurn(lane, () => this.session.queryBindAsync(sql, params, { format: 'JSONEachRow' }));
    return parseJsonEachRow<T>(result.text());
  }

  async command(sql: string, params: QueryParams = {}, lane: Lane = 'interactive'): Promise<void> {
    await this.inTurn(lane, () => this.session.queryBindAsync(sql, params, { format: 'TabSeparated' }));
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
    // In turn with the queries (interactive lane): registers' staging tables are created and dropped while others
    // are inserted into, and with inserts beside those statements the bench's four-at-a-time ingest run lost a
    // connection to the server (docs/benchmarks.md, issue 25).
    await this.inTurn('interactive', () =>
      this.session.insert({ table, columns, values: rows, format, ...(settings && { settings }) }),
    );
  }

  private async inTurn<T>(lane: Lane, run: () => Promise<T>): Promise<T> {
    await new Promise<void>((resolve) => {
      this.waiting[lane].push(resolve);
      this.startNext();
    });
    try {
      return await run();
    } finally {
      this.busy = false;
      this.startNext();
      // Beside the queue (no parameters); one that fails only leaves the pages where they were.
      if (lane === 'background' && process.memoryUsage.rss() > PURGE_ABOVE_BYTES)
        void this.session.queryAsync('SYSTEM JEMALLOC PURGE').catch(() => undefined);
    }
  }

  private startNext(): void {
    if (this.busy) return;
    const { interactive, background } = this.waiting;
    const lane: Lane =
      interactive.length && !(background.length && this.interactiveRun >= INTERACTIVE_RUN)
        ? 'interactive'
        : 'background';
    const start = this.waiting[lane].shift();
    if (!start) return;
    this.interactiveRun = lane === 'interactive' ? this.interactiveRun + 1 : 0;
    this.busy = true;
    start();
  }

  async close(): Promise<void> {
    this.session.close();
  }
}
