/**
 * CSV (RFC 4180) text from rows: a header of the column names, then one line per row; a cell with
 * a comma, quote or line break is quoted, null and undefined are empty.
 */
export type CsvValue = string | number | boolean | null | undefined;

export function csvCell(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'string') return String(v);
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function toCsv<T>(columns: ReadonlyArray<keyof T & string>, rows: readonly T[]): string {
  const lines = rows.map((r) => columns.map((c) => csvCell(r[c] as CsvValue)).join(','));
  return `${columns.join(',')}\r\n${lines.map((l) => `${l}\r\n`).join('')}`;
}
