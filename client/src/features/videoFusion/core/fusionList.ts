/**
 * The fusion list's rules, without a viewer: which cameras are fused and how opaque, at most
 * MAX_FUSED at once (each adds a depth render of the buildings in its view per frame); fusing one
 * more drops the one fused longest ago. And which frustums to draw: the fused cameras', the live
 * views' and the selected pole's cameras'.
 */

/** Cameras fused at once. */
export const MAX_FUSED = 4;
export const DEFAULT_OPACITY = 0.85;

export interface FusedCamera {
  cameraId: string;
  opacity: number;
}

export const clampOpacity = (v: number): number => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : DEFAULT_OPACITY);

/** The list with `cameraId` fused last; returns the new list and the cameras it dropped. */
export function addFused(list: readonly FusedCamera[], cameraId: string, opacity = DEFAULT_OPACITY, max = MAX_FUSED): { list: FusedCamera[]; dropped: string[] } {
  const rest = list.filter((c) => c.cameraId !== cameraId);
  const next = [...rest, { cameraId, opacity: clampOpacity(opacity) }];
  const dropped = next.slice(0, Math.max(0, next.length - max)).map((c) => c.cameraId);
  return { list: next.slice(-max), dropped };
}

export function removeFused(list: readonly FusedCamera[], cameraId: string): FusedCamera[] {
  return list.filter((c) => c.cameraId !== cameraId);
}

export function withOpacity(list: readonly FusedCamera[], cameraId: string, opacity: number): FusedCamera[] {
  return list.map((c) => (c.cameraId === cameraId ? { cameraId, opacity: clampOpacity(opacity) } : c));
}

/** Frustums to draw, each once, fused ones marked; the order is fused, then watched, then selected. */
export function frustumsToDraw(
  fused: readonly FusedCamera[],
  watched: readonly string[],
  selectedPoleCameras: readonly string[],
): Array<{ id: string; fused: boolean }> {
  const out: Array<{ id: string; fused: boolean }> = [];
  const seen = new Set<string>();
  for (const c of fused) {
    seen.add(c.cameraId);
    out.push({ id: c.cameraId, fused: true });
  }
  for (const id of [...watched, ...selectedPoleCameras]) {
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ id, fused: false });
  }
  return out;
}
