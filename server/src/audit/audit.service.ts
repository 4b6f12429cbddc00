import { Inject, Injectable } from '@nestjs/common';
import type { AuthedRequest } from '../auth/auth.guard.js';
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

/**
 * The audit log (sql/0020_audit_log.sql). A disclosure is recorded before its response is sent, and the response
 * fails if the record cannot be written: nothing pupil-level or exported leaves unrecorded.
 */
@Injectable()
export class AuditService {
  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  async record(request: AuthedRequest, action: AuditAction, rows: number): Promise<void> {
    const principal = request.principal;
    const entry = {
      at: new Date().toISOString().replace('T', ' ').replace('Z', ''),
      subject: principal?.sub ?? '',
      role: principal?.role ?? 'public',
      scope: principal ? [principal.scope].flat().join(' ') : '',
      action,
      resource: request.originalUrl,
      rows,
      ip: request.ip ?? '',
    };
    await this.warehouse.insert('audit_log', Object.keys(entry), Buffer.from(JSON.stringify(entry)), 'JSONEachRow');
  }

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
