/**
 * L3 materials: one facade per building use, each a small procedurally drawn PNG of one floor
 * by one window bay (wall, window with frame and sill, a slab band at the floor line) that the
 * facade UVs repeat — u counts window bays along a wall, v counts floors — plus plain roof
 * materials. The images are drawn once per process and embedded in every glb that uses them.
 */
import { BUILDING_USES, type BuildingUse } from '../../../domain/citySource';
import { encodePng } from '../basemap/png';

/** Pixels per side of a facade cell (one bay by one floor). */
export const FACADE_PX = 64;
/** Metres of wall per window bay (u = metres along the wall / BAY_WIDTH_M). */
export const BAY_WIDTH_M = 3.6;

type Rgb = [number, number, number];

interface FacadeLook {
  wall: Rgb;
  glass: Rgb;
  frame: Rgb;
  /** Window rectangle in the cell, as fractions: left, right, bottom sill, top lintel. */
  window: [number, number, number, number];
}

/** Looks chosen to tell uses apart from the street: offices glassy, housing with small windows. */
const LOOKS: Record<BuildingUse, FacadeLook> = {
  residential: { wall: [222, 208, 186], glass: [92, 116, 138], frame: [245, 245, 240], window: [0.28, 0.72, 0.3, 0.78] },
  commercial: { wall: [205, 196, 184], glass: [70, 104, 130], frame: [60, 60, 64], window: [0.1, 0.9, 0.18, 0.9] },
  office: { wall: [150, 165, 178], glass: [58, 96, 128], frame: [200, 205, 210], window: [0.06, 0.94, 0.12, 0.92] },
  industrial: { wall: [176, 178, 172], glass: [120, 134, 142], frame: [120, 122, 118], window: [0.15, 0.85, 0.62, 0.86] },
  public: { wall: [214, 198, 170], glass: [84, 110, 132], frame: [238, 232, 220], window: [0.22, 0.78, 0.2, 0.84] },
  education: { wall: [196, 120, 96], glass: [96, 124, 146], frame: [240, 240, 236], window: [0.14, 0.86, 0.3, 0.82] },
  healthcare: { wall: [236, 236, 232], glass: [98, 132, 152], frame: [140, 180, 200], window: [0.2, 0.8, 0.3, 0.8] },
  mixed: { wall: [198, 186, 170], glass: [76, 106, 132], frame: [90, 90, 96], window: [0.16, 0.84, 0.24, 0.86] },
};

export interface RoofLook {
  name: string;
  color: [number, number, number, number];
}

export const ROOF_MATERIALS = {
  flat: { name: 'roof-flat', color: [0.62, 0.62, 0.6, 1] },
  pitched: { name: 'roof-pitched', color: [0.6, 0.3, 0.22, 1] },
  lod2: { name: 'roof-lod2', color: [0.45, 0.42, 0.4, 1] },
} as const satisfies Record<string, RoofLook>;

export type RoofMaterial = keyof typeof ROOF_MATERIALS;
const ROOF_ORDER: RoofMaterial[] = ['flat', 'pitched', 'lod2'];

/** Material index of a use's facade: 0 … 7 in BUILDING_USES order. */
export function facadeMaterial(use: BuildingUse): number {
  return BUILDING_USES.indexOf(use);
}

/** Material index of a roof look, after the facades. */
export function roofMaterial(kind: RoofMaterial): number {
  return BUILDING_USES.length + ROOF_ORDER.indexOf(kind);
}

export const MATERIAL_COUNT = BUILDING_USES.length + ROOF_ORDER.length;

/** Roof looks by material index (facade indices give undefined). */
export function roofLookAt(material: number): RoofLook | undefined {
  const kind = ROOF_ORDER[material - BUILDING_USES.length];
  return kind ? ROOF_MATERIALS[kind] : undefined;
}

/** RGB pixels of one facade cell, row 0 at the top (the ceiling), the floor line at the bottom. */
export function drawFacade(use: BuildingUse, px = FACADE_PX): Uint8Array {
  const look = LOOKS[use];
  const pixels = new Uint8Array(px * px * 3);
  const [left, right, sill, lintel] = look.window;
  const frame = Math.max(1, Math.round(px / 32));
  const slab = Math.max(2, Math.round(px / 16));
  for (let row = 0; row < px; row++) {
    // Height in the floor from its bottom, 0 … 1.
    const h = (px - 0.5 - row) / px;
    for (let col = 0; col < px; col++) {
      const w = (col + 0.5) / px;
      let c: Rgb = look.wall;
      const inWindow = w >= left && w <= right && h >= sill && h <= lintel;
      if (inWindow) {
        const edge =
          Math.min(col - left * px, right * px - col, (h - sill) * px, (lintel - h) * px) < frame ||
          Math.abs(w - (left + right) / 2) * px < frame / 2;
        c = edge ? look.frame : look.glass;
      } else if (px - 1 - row < slab) {
        // The slab band at the floor line: darker wall, so floors read from a distance.
        c = [Math.round(look.wall[0] * 0.8), Math.round(look.wall[1] * 0.8), Math.round(look.wall[2] * 0.8)];
      }
      pixels.set(c, 3 * (row * px + col));
    }
  }
  return pixels;
}

const pngCache = new Map<BuildingUse, Uint8Array>();

/** The facade PNG of a use (encoded once per process). */
export function facadePng(use: BuildingUse): Uint8Array {
  let png = pngCache.get(use);
  if (!png) {
    png = encodePng(FACADE_PX, FACADE_PX, drawFacade(use), 3, { level: 9 });
    pngCache.set(use, png);
  }
  return png;
}
