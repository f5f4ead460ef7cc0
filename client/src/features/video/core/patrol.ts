/**
 * Video patrol (轮巡): which cameras a patrol visits and which of them the wall shows now.
 * Engine-free, tested in Node. A patrol takes the cameras of a grid cell (or a community or
 * street: a code prefix), of a road, or a list, in a stable order, and pages through them a
 * wall (2×2 or 3×3) at a time, wrapping round.
 */
export const WALL_SIZES = [4, 9] as const;
export type WallSize = (typeof WALL_SIZES)[number];

/** Patrol intervals offered, seconds. */
export const PATROL_INTERVALS_S = [10, 20, 30, 60] as const;
export const MIN_PATROL_INTERVAL_S = 5;

export interface PatrolCamera {
  id: string;
  roadId?: string;
  gridCode?: string;
}

export type PatrolSource = { kind: 'grid'; code: string } | { kind: 'road'; roadId: string } | { kind: 'list'; ids: readonly string[] };

/** The cameras a source names, in patrol order (a list keeps its order; the others sort by id). */
export function patrolCameras(all: readonly PatrolCamera[], source: PatrolSource): string[] {
  switch (source.kind) {
    case 'grid':
      return all.filter((c) => source.code !== '' && c.gridCode?.startsWith(source.code)).map((c) => c.id).sort();
    case 'road':
      return all.filter((c) => c.roadId === source.roadId).map((c) => c.id).sort();
    case 'list': {
      const known = new Set(all.map((c) => c.id));
      return [...new Set(source.ids)].filter((id) => known.has(id));
    }
  }
}

/** How many pages a patrol of `count` cameras has on a wall of `size`. */
export function pageCount(count: number, size: WallSize): number {
  return Math.max(1, Math.ceil(count / size));
}

/** The cameras on page `page` (wrapped), at most `size`; the last page is not padded. */
export function wallPage(ids: readonly string[], size: WallSize, page: number): string[] {
  const pages = pageCount(ids.length, size);
  const p = ((page % pages) + pages) % pages;
  return ids.slice(p * size, p * size + size);
}

/** Columns of the wall: 2 for 2×2, 3 for 3×3. */
export function wallColumns(size: WallSize): number {
  return Math.round(Math.sqrt(size));
}

/** A free-text list of camera ids (commas, spaces or new lines) as ids. */
export function parseIdList(text: string): string[] {
  return text
    .split(/[\s,;，；]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
