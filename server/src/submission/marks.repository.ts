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
