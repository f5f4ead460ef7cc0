/**
 * Plain-text tables for benchmark output: a header, a rule, right-aligned numbers.
 */

export type Cell = string | number | undefined;

/** Formats a number with thousands separators and `digits` decimals; '–' for missing values. */
export function fmt(value: number | undefined, digits = 0): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Numbers, and text that reads as one ("1,234", "0.95×", "–", "> 8,000"), are right-aligned. */
const NUMBER_LIKE = /^(?:[\d–>+-]|$)/;

/** Returns the table as lines: columns of numbers right-aligned, text columns left-aligned. */
export function table(columns: readonly string[], rows: readonly Cell[][]): string[] {
  const text = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? fmt(cell) : (cell ?? '–'))));
  const numeric = columns.map((_, c) => text.every((row) => NUMBER_LIKE.test(row[c] ?? '')));
  const widths = columns.map((name, c) => Math.max(name.length, ...text.map((row) => row[c]?.length ?? 0)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)];
}
