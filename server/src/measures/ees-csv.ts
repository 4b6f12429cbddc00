import { stringify } from 'csv-stringify/sync';
import type { EesColumn, EesRow } from '../contract/ees.js';
import { csvCell } from '../contract/csv-cell.js';

/**
 * EES rows as DfE's tidy CSV: a rate with no possible sessions is z; the export and the data sets' downloads write
 * their cells here, so the same cell reads the same in both.
 */
export function eesCsv(columns: readonly EesColumn[], rows: readonly EesRow[]): string {
  return stringify(
    rows.map((row) => columns.map((c) => csvCell(row[c] ?? 'z'))),
    { header: true, columns: [...columns] },
  );
}
