/**
 * 3D Tiles metadata values as the attribute panel shows them. Cesium hands a property over as
 * its type decodes it (3D Tiles 1.1 metadata, EXT_structural_metadata): SCALAR as a number, or
 * a bigint for INT64/UINT64 beyond 2^53; VECn as Cartesian2/3/4 ({x, y, z, w}); MATn as
 * Matrix2/3/4 (array-like, column-major, `length` 4/9/16); STRING; BOOLEAN; ENUM as its name;
 * any of them as an array. Panels and pick results hold only strings, numbers, booleans and
 * null, so everything else becomes readable text here — never `null` for a value that exists.
 */
export type DisplayValue = string | number | boolean | null;

const isNumberLike = (v: unknown): v is number | bigint => typeof v === 'number' || typeof v === 'bigint';

/** A number as text: integers whole, others to at most 6 significant decimals. */
function numberText(v: number | bigint): string {
  if (typeof v === 'bigint') return v.toString();
  if (Number.isInteger(v) || !Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(7)));
}

/** Cesium's CartesianN: numeric x, y and optionally z, w (and nothing array-like). */
function vectorComponents(v: object): Array<number | bigint> | undefined {
  const r = v as Record<string, unknown>;
  if (!isNumberLike(r.x) || !isNumberLike(r.y)) return undefined;
  const out: Array<number | bigint> = [r.x, r.y];
  if (isNumberLike(r.z)) out.push(r.z);
  if (isNumberLike(r.z) && isNumberLike(r.w)) out.push(r.w);
  return out;
}

/** Cesium's MatrixN: array-like with 4, 9 or 16 numbers, column-major. Rows as "a b; c d". */
function matrixText(v: object): string | undefined {
  const r = v as { length?: unknown } & Record<number, unknown>;
  const n = r.length === 4 ? 2 : r.length === 9 ? 3 : r.length === 16 ? 4 : 0;
  if (n === 0 || Array.isArray(v)) return undefined;
  const rows: string[] = [];
  for (let row = 0; row < n; row++) {
    const cells: string[] = [];
    for (let col = 0; col < n; col++) {
      const cell = r[col * n + row];
      if (!isNumberLike(cell)) return undefined;
      cells.push(numberText(cell));
    }
    rows.push(cells.join(' '));
  }
  return `[${rows.join('; ')}]`;
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (isNumberLike(value)) return numberText(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    return `[${Array.from(value as ArrayLike<unknown>, (item) => text(item)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    const vector = vectorComponents(value);
    if (vector) return `(${vector.map(numberText).join(', ')})`;
    const matrix = matrixText(value);
    if (matrix) return matrix;
    return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
  return String(value);
}

/**
 * A metadata value for display: strings and booleans as they are, numbers as they are where a
 * double holds them exactly (a bigint within ±2^53 too), everything else as text — a bigint
 * INT64 digit for digit, a vector as "(x, y, z)", a matrix by rows, an array in brackets.
 */
export function displayValue(value: unknown): DisplayValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return value >= -(2n ** 53n) && value <= 2n ** 53n ? Number(value) : value.toString();
  return text(value);
}
