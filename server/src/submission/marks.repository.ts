import { Inject, Injectable } from '@nestjs/common';
import { WAREHOUSE, type Warehouse } from '../warehouse/warehouse.js';
import { MARK_COLUMNS } from './register-parser.js';

export interface StoredSubmission {
  submission_id: string;
  rows: number;
  urns: number[];
  dates: string[];
}

/**
 * A parsed file to store: its marks (TSV), its pupils' encrypted UPNs (pupil_key -> ciphertext), the encrypted names it
 * sent (by school and pupil) and its record.
 */
export interface NewSubmission {
  record: StoredSubmission & { content_sha256: string; submitted_by: string; received_at: string };
  identities: Map<string, string>;
  names: { urn: number; pupil_key: string; name_encrypted: string }[];
  tsv: Buffer;
}

@Injectable()
export class MarksRepository {
  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  /**
   * Stores files together, one insert per table: the pupils' identities and names and the marks, then the submission records (so
   * a record, which makes a repeat of the file a no-op, exists only once its marks do). Returns once ClickHouse has
   * them.
   */
  async store(files: NewSubmission[]): Promise<void> {
    const identities = files.flatMap((f) =>
      [...f.identities].map(([pupil_key, upn_encrypted]) =>
        JSON.stringify({ pupil_key, upn_encrypted, updated_at: f.record.received_at }),
      ),
    );
    if (identities.length)
      await this.warehouse.insert(
        'pupil_identities',
        ['pupil_key', 'upn_encrypted', 'updated_at'],
        Buffer.from(identities.join('\n')),
        'JSONEachRow',
      );
    const names = files.flatMap((f) => f.names.map((n) => JSON.stringify({ ...n, updated_at: f.record.received_at })));
    if (names.length)
      await this.warehouse.insert(
        'pupil_names',
        ['urn', 'pupil_key', 'name_encrypted', 'updated_at'],
        Buffer.from(names.join('\n')),
        'JSONEachRow',
      );
    await this.warehouse.insert('marks', MARK_COLUMNS, Buffer.concat(files.map((f) => f.tsv)), 'TabSeparated');
    await this.warehouse.insert(
      'submissions',
      ['submission_id', 'content_sha256', 'submitted_by', 'rows', 'urns', 'dates', 'received_at'],
      Buffer.from(files.map((f) => JSON.stringify(f.record)).join('\n')),
      'JSONEachRow',
    );
  }

  /** The first accepted submission of each of these file contents (SHA-256), where there is one. */
  async findByContent(sha256s: string[]): Promise<Map<string, StoredSubmission>> {
    const rows = await this.warehouse.query<StoredSubmission & { content_sha256: string }>(
      `SELECT content_sha256, submission_id, rows, urns, dates FROM submissions WHERE content_sha256 IN {sha256s:Array(String)}
       ORDER BY received_at LIMIT 1 BY content_sha256`,
      { sha256s },
    );
    return new Map(rows.map(({ content_sha256, ...stored }) => [content_sha256, stored]));
  }
}
