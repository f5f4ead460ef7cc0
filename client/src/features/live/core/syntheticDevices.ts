/**
 * Extra lamp poles for load tests (`?devices=10000`): copies of the twin's poles scattered around
 * them, with ids that cannot clash (`SYN-…`). They take no live updates; the real poles do.
 */
import type { PoleRecord } from '../../../../../domain/twinPackage';
import { mulberry32 } from '../../../../../kernel/random';

const SCATTER_M = 60;
const M_PER_DEG_LAT = 111_320;

export function syntheticPoles(real: readonly PoleRecord[], count: number, seed = 7): PoleRecord[] {
  if (count <= 0) return [];
  if (real.length === 0) throw new Error('synthetic devices need at least one real pole to scatter around');
  const random = mulberry32(seed);
  const out: PoleRecord[] = [];
  for (let i = 0; i < count; i++) {
    const anchor = real[Math.floor(random() * real.length)]!;
    const dy = (random() * 2 - 1) * SCATTER_M;
    const dx = (random() * 2 - 1) * SCATTER_M;
    const id = `SYN-${String(i + 1).padStart(6, '0')}`;
    out.push({
      ...anchor,
      id,
      code: id,
      lat: anchor.lat + dy / M_PER_DEG_LAT,
      lon: anchor.lon + dx / (M_PER_DEG_LAT * Math.cos((anchor.lat * Math.PI) / 180)),
      terminalIds: [],
    });
  }
  return out;
}
