import { Readable } from 'node:stream';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import {
  JSON_SETTINGS,
  boundParams,
  parseJsonEachRow,
  type InsertFormat,
  type InsertSettings,
  type QueryParams,
  type Warehouse,
} from './warehouse.js';

/**
 * A ClickHouse server over HTTP (CLICKHOUSE_URL, with user, password and database in the URL). It runs queries side by
 * side, so the lanes (warehouse.ts) do not matter here.
 */
export class ServerWarehouse implements Warehouse {
  readonly engine = 'server' as const;
  private readonly client: ClickHouseClient;

  /** In a cluster, an insert into a Distributed table returns only once every shard has its rows (a 202 means kept). */
  constructor(url: string, cluster?: string) {
    this.client = createClient({
      url,
      clickhouse_settings: {
        ...JSON_SETTINGS,
        wait_end_of_query: 1,
        ...(cluster && { distributed_foreground_insert: 1, insert_quorum: 'auto' }),
      },
    });
  }

  async query<T>(sql: string, params: QueryParams = {}): Promise<T[]> {
    const result = await this.client.query({ query: sql, query_params: boundParams(params), format: 'JSONEachRow' });
    return result.json<T>();
  }

  async command(sql: string, params: QueryParams = {}): Promise<void> {
    await this.client.command({ query: sql, query_params: boundParams(params) });
  }

  async insert(
    table: string,
    columns: readonly string[],
    rows: Buffer,
    format: InsertFormat,
    settings?: InsertSettings,
  ): Promise<void> {
    // The client takes JSON rows as objects and other formats as a byte stream.
    const values =
      format === 'JSONEachRow'
        ? parseJsonEachRow<Record<string, unknown>>(rows.toString('utf8'))
        : Readable.from([rows], { objectMode: false });
    await this.client.insert({
      table,
      columns: [...columns] as [string, ...string[]],
      values,
      format,
      ...(settings && { clickhouse_settings: settings }),
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
