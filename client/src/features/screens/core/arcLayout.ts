/**
 * The leader's arc screen: the twin in the centre and KPI wings either side, type sized for a
 * wall read from across a room. Pure geometry from the viewport size, so tests can check it.
 */
/** `?layout=`: arc when the screen is wide enough (`auto`), or forced either way. */
export type LayoutMode = 'auto' | 'standard' | 'arc';

/** Ultra-wide walls (5760×1080 is 16:3) switch to the arc layout by themselves. */
export const ARC_ASPECT = 3;

export interface ScreenLayout {
  arc: boolean;
  /** Width of each KPI wing in CSS pixels (0 in the standard layout). */
  wingPx: number;
  /** Base font size in CSS pixels for the wings. */
  fontPx: number;
}

export function screenLayout(width: number, height: number, mode: LayoutMode): ScreenLayout {
  const arc = mode === 'arc' || (mode === 'auto' && height > 0 && width / height >= ARC_ASPECT);
  if (!arc) return { arc: false, wingPx: 0, fontPx: 14 };
  // The centre keeps a 16:9-or-wider stage; each wing takes a share of what is left, at most a quarter.
  const centre = Math.max(width * 0.5, Math.min(width, (height * 16) / 9));
  const wingPx = Math.round(Math.min(width * 0.25, Math.max(width * 0.15, (width - centre) / 2)));
  // About 1/36 of the height: 30 px on a 1080-line wall, 60 px on 2160 lines.
  const fontPx = Math.round(Math.max(18, height / 36));
  return { arc, wingPx, fontPx };
}
