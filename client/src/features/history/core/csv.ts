/**
 * CSV for every chart's "export" button: one header row, then one row per point, lines ending in
 * CRLF, cells quoted by the one RFC 4180 helper (kernel/csv.ts). A file made for a person's
 * spreadsheet adds one rule: text cells that a spreadsheet would run as a formula (`=`, `+`, `-`,
 * `@`, tab, CR first) get a leading apostrophe (OWASP's CSV-injection advice); numbers stay as they are.
 */
import { csvCell, type CsvValue } from '../../../../../kernel/csv';

export type CsvCell = CsvValue;

const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: CsvCell): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return '';
  return csvCell(typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value);
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  const lines = [header.map(cell).join(',')];
  for (const row of rows) {
    if (row.length !== header.length) throw new Error(`CSV row of ${row.length} cells under a header of ${header.length}`);
    lines.push(row.map(cell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** A chart's data ready to export: the file name (without `.csv`), its header and rows. */
export interface CsvTable {
  name: string;
  header: string[];
  rows: CsvCell[][];
}

/** ms since the epoch as ISO 8601 in UTC: unambiguous in a file opened anywhere. */
export const isoTime = (t: number): string => new Date(t).toISOString();

/** A file name safe on every desktop: letters, digits, `-`, `_`, `.` only. */
export function csvFileName(name: string): string {
  return `${name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'chart'}.csv`;
}
