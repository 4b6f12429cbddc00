import { Injectable } from '@nestjs/common';
import type { AuthedRequest } from '../auth/auth.guard.js';
import type { AuditEntry } from '../contract/api.js';
import type { AuditAction } from '../contract/vocabulary.js';
import { AuditRepository, type AuditFilter } from './audit.repository.js';

/**
 * The audit log. A disclosure is recorded before its response is sent, and the response fails if the record cannot be
 * written: nothing pupil-level or exported leaves unrecorded.
 */
@Injectable()
export class AuditService {
  constructor(private readonly repository: AuditRepository) {}

  async record(request: AuthedRequest, action: AuditAction, rows: number): Promise<void> {
    const principal = request.principal;
    await this.repository.insert({
      at: new Date().toISOString().replace('T', ' ').replace('Z', ''),
      subject: principal?.sub ?? '',
      role: principal?.role ?? 'public',
      scope: principal ? [principal.scope].flat().join(' ') : '',
      action,
      resource: request.originalUrl,
      rows,
      ip: request.ip ?? '',
    });
  }

  entries(filter: AuditFilter): Promise<AuditEntry[]> {
    return this.repository.entries(filter);
  }
}
