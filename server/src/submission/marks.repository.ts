import { Inject, Injectable } from '@nestjs/common';
import { WAREHOUSE, type Warehouse } from '../warehouse/warehouse.js';
import { MARK_COLUMNS } from './register-parser.js';

export interface StoredSubmission {
  submission_id: string;
  rows: number;
  urns: number[];
  dates: string[];
}

@Injectable()
export class MarksRepository {
  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  /** One insert of the whole file: it returns only once ClickHouse has the marks. */
  async insertMarks(tsv: Buffer): Promise<void> {
    await this.warehouse.insert('marks', MARK_COLUMNS, tsv, 'TabSeparated');
  }

  /** Encrypted UPNs of the pupils in a file (pupil_key -> AES-256-GCM ciphertext). */
  async upsertIdentities(identities: Map<string, string>, updatedAt: string): Promise<void> {
    if (!identities.size) return;
    const rows = [...identities].map(([pupil_key, upn_encrypted]) => JSON.stringify({ pupil_key, upn_encrypted, updated_at: updatedAt }));
    await this.warehouse.insert('pupil_identities', ['pupil_key', 'upn_encrypted', 'updated_at'], Buffer.from(rows.join('\n')), 'JSONEachRow');
  }

  async recordSubmission(s: StoredSubmission & { content_sha256: string; submitted_by: string; received_at: string }): Promise<void> {
    await this.warehouse.insert(
      'submissions',
      ['submission_id', 'content_sha256', 'submitted_by', 'rows', 'urns', 'dates', 'received_at'],
      Buffer.from(JSON.stringify(s)),
      'JSONEachRow',
    );
  }

  async findByContent(sha256: string): Promise<StoredSubmission | null> {
    const [row] = await this.warehouse.query<StoredSubmission>(
      'SELECT submission_id, rows, urns, dates FROM submissions WHERE content_sha256 = {sha256:String} ORDER BY received_at LIMIT 1',
      { sha256 },
    );
    return row ?? null;
  }
}
