import { mkdirSync } from 'node:fs';
import { Session } from 'chdb';
import { JSON_SETTINGS, parseJsonEachRow, type InsertFormat, type QueryParams, type Warehouse } from './warehouse.js';

/**
 * Embedded ClickHouse (chDB) with its data under dataDir. chDB binds one data directory per process, so the API,
 * the workers and the simulator share this one session. Only the async API is used: the sync one blocks the event loop.
 */
export class ChdbWarehouse implements Warehouse {
  readonly engine = 'chdb' as const;
  private readonly session: Session;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.session = new Session(dataDir, {
      connectionArgs: Object.entries(JSON_SETTINGS).map(([key, value]) => `--${key}=${value}`),
    });
  }

  async query<T>(sql: string, params: QueryParams = {}): Promise<T[]> {
    const result = await this.session.queryBindAsync(sql, params, { format: 'JSONEachRow' });
    return parseJsonEachRow<T>(result.text());
  }

  async command(sql: string, params: QueryParams = {}): Promise<void> {
    await this.session.queryBindAsync(sql, params, { format: 'TabSeparated' });
  }

  async insert(table: string, columns: readonly string[], rows: Buffer, format: InsertFormat): Promise<void> {
    await this.session.insert({ table, columns, values: rows, format });
  }

  async close(): Promise<void> {
    this.session.close();
  }
}
