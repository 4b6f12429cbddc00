// Every table on the dashboard can be downloaded as the CSV of what it shows: rates and changes rounded to one decimal
// as on the page (the EES export keeps DfE's full precision), text a spreadsheet would run as a formula quoted (as in
// the server's exports), and a UTF-8 byte-order mark so that Excel reads names such as "King’s Lynn" as written.
import { stringify } from 'csv-stringify/browser/esm/sync';
import type { Cell } from './types.ts';
import { csvCell } from '@contract/csv-cell.ts';

export interface CsvColumn {
  key: string;
  label: string;
  /** rate and pp: rounded to one decimal, as shown. */
  kind?: 'text' | 'rate' | 'pp' | 'count';
}

const BOM = '\uFEFF';

function asShown(value: Cell | undefined, kind: CsvColumn['kind']): Cell {
  if (typeof value === 'number' && (kind === 'rate' || kind === 'pp')) return Number(value.toFixed(1));
  return value ?? '';
}

/** The CSV text of the rows (with its byte-order mark). */
export function csvText(columns: CsvColumn[], rows: Record<string, Cell | undefined>[]): string {
  const body = stringify(
    rows.map((row) => columns.map((c) => csvCell(asShown(row[c.key], c.kind)))),
    { header: true, columns: columns.map((c) => c.label) },
  );
  return BOM + body;
}

export function downloadCsv(filename: string, columns: CsvColumn[], rows: Record<string, Cell | undefined>[]): void {
  saveFile(new Blob([csvText(columns, rows)], { type: 'text/csv;charset=utf-8' }), filename);
}

/** Hands a file to the browser to save. */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  Object.assign(document.createElement('a'), { href: url, download: filename }).click();
  URL.revokeObjectURL(url);
}
