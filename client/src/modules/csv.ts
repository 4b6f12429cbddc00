// Every table on the dashboard can be downloaded as the CSV of exactly what it shows (text a spreadsheet would run
// as a formula quoted, as in the server's exports).
import { stringify } from 'csv-stringify/browser/esm/sync';
import type { Cell } from './types.ts';
import { csvCell } from '@contract/csv-cell.ts';

export interface CsvColumn {
  key: string;
  label: string;
}

export function downloadCsv(filename: string, columns: CsvColumn[], rows: Record<string, Cell | undefined>[]): void {
  const text = stringify(
    rows.map((row) => columns.map((c) => csvCell(row[c.key] ?? ''))),
    { header: true, columns: columns.map((c) => c.label) },
  );
  saveFile(new Blob([text], { type: 'text/csv;charset=utf-8' }), filename);
}

/** Hands a file to the browser to save. */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  Object.assign(document.createElement('a'), { href: url, download: filename }).click();
  URL.revokeObjectURL(url);
}
