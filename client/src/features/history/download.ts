/** Saves a chart's CSV as a file on the user's machine (a Blob and a download link: no server round trip). */
import { csvFileName, toCsv, type CsvTable } from './core/csv';

export function downloadCsv(table: CsvTable): void {
  // A byte-order mark so spreadsheet programs on Chinese Windows read UTF-8, not GBK.
  const blob = new Blob(['\ufeff', toCsv(table.header, table.rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = csvFileName(table.name);
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
