import { Inject, Injectable } from '@nestjs/common';
import { WAREHOUSE, type Warehouse } from '../warehouse/warehouse.js';
import type { AuditEntry } from '../contract/api.js';
import type { AuditAction } from '../contract/vocabulary.js';

export interface AuditFilter {
  from: string;
  to: string;
  subject?: string;
  action?: AuditAction;
  limit: number;
}

/** A record of the audit log as stored (sql/0020_audit_log.sql): `at` a DateTime64 in UTC. */
export type AuditRecord = Omit<AuditEntry, 'at'> & { at: string };

/** The audit log's table. */
@Injectable()
export class AuditRepository {
  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  async insert(record: AuditRecord): Promise<void> {
    await this.warehouse.insert('audit_log', Object.keys(record), Buffer.from(JSON.stringify(record)), 'JSONEachRow');
  }

  /** The records of days (London time) from..to, newest first, `at` an ISO time. */
  async entries(filter: AuditFilter): Promise<AuditEntry[]> {
    const rows = await this.warehouse.query<Omit<AuditEntry, 'at'> & { ms: number }>(
      `SELECT toUnixTimestamp64Milli(at) AS ms, subject, role, scope, action, resource, rows, ip
       FROM audit_log
       WHERE toDate(at, 'Europe/London') BETWEEN {from:Date} AND {to:Date}
         ${filter.subject !== undefined ? 'AND subject = {subject:String}' : ''}
         ${filter.action !== undefined ? 'AND action = {action:String}' : ''}
       ORDER BY at DESC
       LIMIT {limit:UInt32}`,
      { ...filter },
    );
    return rows.map(({ ms, ...entry }) => ({ at: new Date(ms).toISOString(), ...entry }));
  }
}
