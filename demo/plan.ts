/**
 * The master plan's data: street lines, superblocks and blocks in plan coordinates, and the
 * zones and uses given to them. Shared by the layout, zoning, roads and building generators.
 */

export type ZoneKind =
  | 'cbd'
  | 'waterfront'
  | 'coastal-park'
  | 'commercial'
  | 'residential'
  | 'riverside'
  | 'village'
  | 'industrial'
  | 'civic'
  | 'hillside';

/** What a block is used for when it is not its zone's ordinary fabric. */
export type BlockUse = 'default' | 'plaza' | 'civic-centre' | 'culture' | 'hospital' | 'primary-school' | 'middle-school' | 'park';

export type LineKind = 'coastal' | 'arterial' | 'ew-secondary' | 'ns-secondary' | 'local';

export interface LineSpec {
  lanes: number;
  widthM: number;
  speedKmh: number;
}

/**
 * Cross-sections. The arterial's 36 m (8 lanes, median, non-motorised lanes) is kept under 40 m
 * so a crossing road's lamp poles can step over it within one 30–40 m pole spacing.
 */
export const LINE_SPECS: Record<Exclude<LineKind, 'local'>, LineSpec> = {
  arterial: { lanes: 8, widthM: 36, speedKmh: 60 },
  coastal: { lanes: 4, widthM: 24, speedKmh: 50 },
  'ew-secondary': { lanes: 6, widthM: 30, speedKmh: 50 },
  'ns-secondary': { lanes: 4, widthM: 24, speedKmh: 50 },
};

/** An east–west street line q(p) in plan coordinates. */
export class EwLine {
  constructor(
    readonly kind: LineKind,
    readonly widthM: number,
    private readonly fn: (p: number) => number,
    /** Offset inland of the arterial's mean line; the coastal road has a negative one. */
    readonly offset: number,
  ) {}

  q(p: number): number {
    return this.fn(p);
  }

  get halfWidth(): number {
    return this.widthM / 2;
  }
}

export interface NsLine {
  p: number;
  widthM: number;
}

export interface Superblock {
  col: number;
  row: number;
  zone: ZoneKind;
  /** p of the secondaries on its west and east sides. */
  pl: number;
  pr: number;
  low: EwLine;
  high: EwLine;
  /** Local streets: p of the north–south ones, lines of the east–west ones. */
  nsLocals: NsLine[];
  ewLocals: EwLine[];
}

export interface Block {
  id: string;
  zone: ZoneKind;
  use: BlockUse;
  col: number;
  row: number;
  /** Bounding street centrelines and their widths. */
  pl: number;
  pr: number;
  widthL: number;
  widthR: number;
  low: EwLine;
  high: EwLine;
}

export interface Layout {
  arterial: EwLine;
  coastal: EwLine;
  /** East–west lines from the coast inland: coastal road, arterial, secondaries. */
  ewLines: EwLine[];
  /** North–south secondaries, west to east. */
  nsLines: NsLine[];
  riverCol: number;
  superblocks: Superblock[];
  blocks: Block[];
}

/** A block's usable rectangle in plan coordinates: inside its streets and a setback from them. */
export function innerRect(block: Block, setback: number): { p0: number; p1: number; q0: number; q1: number } {
  const p0 = block.pl + block.widthL / 2 + setback;
  const p1 = block.pr - block.widthR / 2 - setback;
  let q0 = Number.NEGATIVE_INFINITY;
  let q1 = Number.POSITIVE_INFINITY;
  for (let k = 0; k <= 8; k++) {
    const p = block.pl + ((block.pr - block.pl) * k) / 8;
    q0 = Math.max(q0, block.low.q(p));
    q1 = Math.min(q1, block.high.q(p));
  }
  return { p0, p1, q0: q0 + block.low.halfWidth + setback, q1: q1 - block.high.halfWidth - setback };
}
