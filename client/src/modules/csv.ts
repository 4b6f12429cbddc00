// Every table on the dashboard can be downloaded as the CSV of exactly what it shows.
import { stringify } from 'csv-stringify/browser/esm/sync';
import type { Cell } from './types.ts';

export interface CsvColumn {
  key: string;
  label: string;
}

export function downloadCsv(filename: string, columns: CsvColumn[], rows: Record<string, Cell | undefined>[]): void {
  const text = stringify(
    rows.map((row) => columns.map((c) => row[c.key] ?? '')),
    { header: true, columns: columns.map((c) => c.label) },
  );
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  link.click();
  URL.revokeObjectURL(url);
}
