/**
 * Urban components as flat typed arrays (structure of arrays): a million of them must fit in a
 * few tens of megabytes and upload straight to the GPU, which objects per component would not.
 * The twin's own components come first; synthetic ones (for load tests) follow, placed around
 * the real ones so they sit on the district's streets and ground.
 */
import { mulberry32 } from '../../../../../kernel/random';
import type { ComponentRecord } from '../../../../../domain/twinPackage';

export interface ComponentSet {
  count: number;
  /** How many leading entries are the twin's own (the rest are synthetic). */
  realCount: number;
  lon: Float64Array;
  lat: Float64Array;
  /** Ground height, metres above the ellipsoid. */
  height: Float32Array;
  /** Index into `classCodes`. */
  classIndex: Uint16Array;
  classCodes: string[];
  /** Codes of the real components; synthetic codes are derived by `componentCode`. */
  codes: string[];
  countyCode: string;
}


/** Synthetic components scatter this far (metres) around a real one. */
const SCATTER_M = 80;
const M_PER_DEG_LAT = 111_320;

export function buildComponentSet(records: readonly ComponentRecord[], synthetic: number, countyCode: string, seed = 42): ComponentSet {
  const count = records.length + synthetic;
  const set: ComponentSet = {
    count,
    realCount: records.length,
    lon: new Float64Array(count),
    lat: new Float64Array(count),
    height: new Float32Array(count),
    classIndex: new Uint16Array(count),
    classCodes: [],
    codes: records.map((r) => r.code),
    countyCode,
  };
  const classIndexOf = new Map<string, number>();
  const classOf = (code: string): number => {
    let index = classIndexOf.get(code);
    if (index === undefined) {
      index = set.classCodes.length;
      set.classCodes.push(code);
      classIndexOf.set(code, index);
    }
    return index;
  };
  records.forEach((r, i) => {
    set.lon[i] = r.lon;
    set.lat[i] = r.lat;
    set.height[i] = r.groundHeight;
    set.classIndex[i] = classOf(r.classCode);
  });
  if (synthetic > 0) {
    if (records.length === 0) throw new Error('synthetic components need at least one real component to scatter around');
    const random = mulberry32(seed);
    for (let i = records.length; i < count; i++) {
      const anchor = records[Math.floor(random() * records.length)]!;
      const dy = (random() * 2 - 1) * SCATTER_M;
      const dx = (random() * 2 - 1) * SCATTER_M;
      set.lat[i] = anchor.lat + dy / M_PER_DEG_LAT;
      set.lon[i] = anchor.lon + dx / (M_PER_DEG_LAT * Math.cos((anchor.lat * Math.PI) / 180));
      set.height[i] = anchor.groundHeight;
      set.classIndex[i] = classOf(anchor.classCode);
    }
  }
  return set;
}

/**
 * The 16-digit component code (county 6 + class 4 + sequence 6). Synthetic components get
 * sequence numbers from 900000 up, counted per set, so they never collide with the twin's own.
 */
export function componentCode(set: ComponentSet, index: number): string {
  if (index < set.realCount) return set.codes[index]!;
  const seq = 900_000 + ((index - set.realCount) % 100_000);
  return `${set.countyCode}${set.classCodes[set.classIndex[index]!]}${String(seq).padStart(6, '0')}`;
}

/** What the attribute panel shows for a component. */
export function componentProperties(set: ComponentSet, index: number): Record<string, string | number | boolean | null> {
  return {
    code: componentCode(set, index),
    classCode: set.classCodes[set.classIndex[index]!] ?? null,
    lon: Number(set.lon[index]!.toFixed(7)),
    lat: Number(set.lat[index]!.toFixed(7)),
    groundHeight: Number(set.height[index]!.toFixed(2)),
    synthetic: index >= set.realCount,
  };
}
