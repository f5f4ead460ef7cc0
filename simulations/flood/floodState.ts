/**
 * The model state as typed-array views over one buffer, so worker threads share it through a
 * SharedArrayBuffer (and a single-thread run uses a plain ArrayBuffer with the same layout).
 *
 * Grid layout: cell (row, col) is `row * ncols + col`, row 0 the north row (as ESRI ASCII grids).
 * Faces: `qx` holds the x-faces of each row, ncols + 1 per row, face c west of cell c
 * (`row * (ncols + 1) + c`); `qy` holds the y-faces, nrows + 1 rows of ncols, face row r north
 * of cell row r (`r * ncols + col`). Positive q flows east (x) and south (y, with the rows).
 */

/** Per-worker accumulators in `stats`, volumes in m³ except the step's maximum depth. */
export const STAT = {
  /**
   * Deepest open cell after the last step (metres), reduced across workers for Δt. Written after
   * odd steps (read by even ones) here, after even steps in `hMaxOdd`: with one barrier a step a
   * fast thread may write the next step's value while a slow one still reads this step's.
   */
  hMax: 0,
  rain: 1,
  /** Point inflows and flow boundaries. */
  sources: 2,
  drainage: 3,
  /** Through level and free boundary faces, into / out of the domain. */
  boundaryIn: 4,
  boundaryOut: 5,
  /** Water removed where a cell would have gone below zero depth (not conserved: shows in the mass balance). */
  clipped: 6,
  /** Fastest signal speed |u| + √(g·h_f) of the last step's faces (m/s, advection scheme), reduced across workers for Δt. */
  signalSpeedMax: 7,
  /** `hMax` and `signalSpeedMax` read by odd steps (written after even ones). */
  hMaxOdd: 8,
  signalSpeedMaxOdd: 9,
} as const;
export const STAT_COUNT = 10;

/** At most this many row bands (so threads); sizes the halo rows. */
export const MAX_BANDS = 16;

export interface FloodLayout {
  ncols: number;
  nrows: number;
  workers: number;
}

export interface FloodArrays {
  ncols: number;
  nrows: number;
  /** Depth at cell centres, m. */
  h: Float64Array;
  /**
   * Unit discharge on x- and y-faces, m²/s, twice: a step reads the previous discharges from one
   * pair and writes the new ones to the other (the θ-weighting reads neighbouring faces' old
   * values), and the next step swaps them. Even steps read `qx`/`qy`.
   */
  qx: Float64Array;
  qy: Float64Array;
  qxNext: Float64Array;
  qyNext: Float64Array;
  /**
   * Face velocities q/h_f (m/s), double-buffered like the discharges, written and read only by the
   * advection scheme (its convective term needs the old velocity of the neighbouring faces).
   * Float32: they only weight the momentum flux.
   */
  ux: Float32Array;
  uy: Float32Array;
  uxNext: Float32Array;
  uyNext: Float32Array;
  /** Bed elevation, m. */
  z: Float64Array;
  /** Manning's n squared, per cell. */
  n2: Float64Array;
  /** Source rate per cell this step (point inflows, flow boundaries), m/s. */
  src: Float64Array;
  /** 1 for cells water may occupy, 0 for obstacles. */
  open: Uint8Array;
  maxDepth: Float64Array;
  /** Largest speed |q|/h seen while wet, m/s. */
  maxSpeed: Float64Array;
  /** Time of first wetting, s; −1 while never wet. */
  arrival: Float64Array;
  /** Seconds spent deeper than the duration threshold. */
  duration: Float64Array;
  /** Largest hazard rating d·(v + 0.5) + DF seen. */
  maxHazard: Float64Array;
  /** STAT_COUNT accumulators per worker. */
  stats: Float64Array;
  /**
   * Each band's first and last row of depths at the start of the step, twice (even and odd
   * steps; see `haloOffset`): a band reads its neighbours' edge rows from here, never from `h`,
   * which their threads overwrite during the same step.
   */
  hHalo: Float64Array;
  /**
   * A row of scratch per stripe (MAX_BANDS rows of ncols) for the WebAssembly kernel: what may
   * still leave each cell of the row being swept after its north, west and east outflows.
   */
  capScratch: Float64Array;
  /** Barrier words: [arrived, generation]. */
  barrier: Int32Array;
}

const haloLength = (ncols: number): number => 2 * 2 * MAX_BANDS * ncols;

const F64_FIELDS = ['h', 'z', 'n2', 'src', 'maxDepth', 'maxSpeed', 'arrival', 'duration', 'maxHazard'] as const;

function sizes(layout: FloodLayout): { cells: number; xFaces: number; yFaces: number; bytes: number } {
  const cells = layout.ncols * layout.nrows;
  const xFaces = (layout.ncols + 1) * layout.nrows;
  const yFaces = layout.ncols * (layout.nrows + 1);
  const f64 = F64_FIELDS.length * cells + 2 * (xFaces + yFaces) + STAT_COUNT * layout.workers + haloLength(layout.ncols) + MAX_BANDS * layout.ncols;
  // Float64 block first, then the Float32 face velocities, the barrier words, then the open mask.
  const bytes = f64 * 8 + 2 * (xFaces + yFaces) * 4 + 8 + cells;
  return { cells, xFaces, yFaces, bytes };
}

export function floodStateBytes(layout: FloodLayout): number {
  return sizes(layout).bytes;
}

/** Views over `buffer` (fresh, zeroed, or shared from another thread) in the fixed layout. */
export function floodArrays(buffer: ArrayBufferLike, layout: FloodLayout): FloodArrays {
  const { cells, xFaces, yFaces } = sizes(layout);
  let offset = 0;
  const f64 = (length: number): Float64Array => {
    const view = new Float64Array(buffer, offset, length);
    offset += length * 8;
    return view;
  };
  const fields = Object.fromEntries(F64_FIELDS.map((name) => [name, f64(cells)])) as Record<(typeof F64_FIELDS)[number], Float64Array>;
  const qx = f64(xFaces);
  const qy = f64(yFaces);
  const qxNext = f64(xFaces);
  const qyNext = f64(yFaces);
  const stats = f64(STAT_COUNT * layout.workers);
  const hHalo = f64(haloLength(layout.ncols));
  const capScratch = f64(MAX_BANDS * layout.ncols);
  const f32 = (length: number): Float32Array => {
    const view = new Float32Array(buffer, offset, length);
    offset += length * 4;
    return view;
  };
  const ux = f32(xFaces);
  const uy = f32(yFaces);
  const uxNext = f32(xFaces);
  const uyNext = f32(yFaces);
  const barrier = new Int32Array(buffer, offset, 2);
  offset += 8;
  const open = new Uint8Array(buffer, offset, cells);
  return { ncols: layout.ncols, nrows: layout.nrows, ...fields, qx, qy, qxNext, qyNext, ux, uy, uxNext, uyNext, stats, hHalo, capScratch, barrier, open };
}

/** Where band `band`'s first (`last` false) or last row of depths starts in `hHalo` for steps of this parity (0 even, 1 odd). */
export function haloOffset(ncols: number, parity: number, band: number, last: boolean): number {
  return ((parity * 2 + (last ? 1 : 0)) * MAX_BANDS + band) * ncols;
}

/** Deepest open cell. */
export function maxOpenDepth(s: FloodArrays): number {
  let m = 0;
  for (let i = 0; i < s.h.length; i++) if (s.open[i] && s.h[i]! > m) m = s.h[i]!;
  return m;
}

/** Water volume on open cells, m³. */
export function waterVolume(s: FloodArrays, cellSizeM: number): number {
  let v = 0;
  for (let i = 0; i < s.h.length; i++) if (s.open[i]) v += s.h[i]!;
  return v * cellSizeM * cellSizeM;
}
