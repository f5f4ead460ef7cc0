/**
 * Splits a live replica batch into parts that each fit one cluster message. Each part is a
 * complete batch (merging parts in any order gives the same state as merging the whole), so a
 * receiver needs no reassembly; the counters ride on every part.
 */
import type { ReplicaBatch } from '../devices/state/LiveState';

/** JSON size of everything but the lists, with room for the separators. */
const ENVELOPE_BYTES = 256;

export function splitReplica(batch: ReplicaBatch, maxBytes: number): ReplicaBatch[] {
  const parts: ReplicaBatch[] = [];
  const empty = (): ReplicaBatch => ({ terminals: [], alarmsRaised: [], alarmsCleared: [], videoSeen: [], accepted: batch.accepted, rejected: batch.rejected });
  let part = empty();
  let bytes = ENVELOPE_BYTES;
  const add = (size: number, put: (p: ReplicaBatch) => void): void => {
    if (bytes + size > maxBytes && bytes > ENVELOPE_BYTES) {
      parts.push(part);
      part = empty();
      bytes = ENVELOPE_BYTES;
    }
    put(part);
    bytes += size + 1;
  };
  for (const t of batch.terminals) add(JSON.stringify(t).length, (p) => p.terminals.push(t));
  for (const a of batch.alarmsRaised) add(JSON.stringify(a).length, (p) => p.alarmsRaised.push(a));
  for (const id of batch.alarmsCleared) add(id.length + 3, (p) => p.alarmsCleared.push(id));
  for (const seen of batch.videoSeen) add(seen[0].length + 20, (p) => p.videoSeen.push(seen));
  parts.push(part);
  return parts;
}
