/**
 * A small synthetic district for the terrain and basemap tests: a DEM in EPSG:4547 centred near
 * lon 113.7°, lat 22.83° that rises 2 % northwards from a sea strip along the south edge, with
 * a 120 m hill in the north-east; plus matching water, land-use, road and footprint layers.
 */
import type { Grid } from '../../kernel/raster/grid';
import { crsTransform } from '../../kernel/crs/crs';
import type {
  FootprintCollection,
  LanduseCollection,
  Position,
  RoadCollection,
  WaterCollection,
} from '../../tiles/pipeline/geojson';

export const DEM_CRS = 'EPSG:4547';
export const CENTRE = { lon: 113.7, lat: 22.83 };

export interface SyntheticDistrict {
  dem: Grid;
  water: WaterCollection;
  landuse: LanduseCollection;
  roads: RoadCollection;
  buildings: FootprintCollection;
  /** Extent in metres (east × north) and the local → lon/lat map (metres from the DEM's SW corner). */
  widthM: number;
  heightM: number;
  lonLat(eastM: number, northM: number): [number, number];
  /** Northing of the coastline, metres from the south edge. */
  coastM: number;
  hill: { eastM: number; northM: number; heightM: number; sigmaM: number };
  river: { eastM: number; halfWidthM: number };
  arterial: { northM: number; widthM: number };
}

/** Ground height at a local point (metres from the SW corner), the function the DEM samples. */
export function groundHeight(d: Pick<SyntheticDistrict, 'coastM' | 'hill'>, e: number, n: number): number {
  const base = n >= d.coastM ? 0.02 * (n - d.coastM) : -0.04 * (d.coastM - n);
  const { eastM, northM, heightM, sigmaM } = d.hill;
  return base + heightM * Math.exp(-((e - eastM) ** 2 + (n - northM) ** 2) / (2 * sigmaM * sigmaM));
}

export function syntheticDistrict(ncols: number, nrows: number, cellSize: number): SyntheticDistrict {
  const t = crsTransform(DEM_CRS);
  const [cx, cy] = t.fromLonLat(CENTRE.lon, CENTRE.lat);
  const widthM = ncols * cellSize;
  const heightM = nrows * cellSize;
  const xll = Math.round(cx - widthM / 2);
  const yll = Math.round(cy - heightM / 2);
  const lonLat = (e: number, n: number) => t.toLonLat(xll + e, yll + n);
  const geo = (e: number, n: number): Position => lonLat(e, n);

  const shape = {
    coastM: 0.2 * heightM,
    hill: { eastM: 0.65 * widthM, northM: 0.68 * heightM, heightM: 120, sigmaM: 0.12 * widthM },
  };
  const values = new Float32Array(ncols * nrows);
  for (let r = 0; r < nrows; r++) {
    const n = heightM - (r + 0.5) * cellSize; // row 0 is the north edge
    for (let c = 0; c < ncols; c++) values[r * ncols + c] = groundHeight(shape, (c + 0.5) * cellSize, n);
  }
  const dem: Grid = { ncols, nrows, xll, yll, cellSize, values };

  // Sea: the strip south of the coast, reaching a little beyond the DEM like real coastline data.
  const pad = 0.05 * widthM;
  const coast: Position[] = [];
  for (let i = 0; i <= 8; i++) coast.push(geo(-pad + ((widthM + 2 * pad) * i) / 8, shape.coastM));
  const sea = [geo(-pad, -pad), geo(widthM + pad, -pad), ...coast.reverse(), geo(-pad, -pad)];
  const river = { eastM: 0.3 * widthM, halfWidthM: 15 };
  const riverRing = [
    geo(river.eastM - river.halfWidthM, shape.coastM - 5),
    geo(river.eastM + river.halfWidthM, shape.coastM - 5),
    geo(river.eastM + river.halfWidthM, 0.55 * heightM),
    geo(river.eastM - river.halfWidthM, 0.55 * heightM),
    geo(river.eastM - river.halfWidthM, shape.coastM - 5),
  ];
  const water: WaterCollection = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { kind: 'sea' }, geometry: { type: 'Polygon', coordinates: [sea] } },
      { type: 'Feature', properties: { kind: 'river' }, geometry: { type: 'Polygon', coordinates: [riverRing] } },
    ],
  };

  const box = (e0: number, n0: number, e1: number, n1: number): Position[] => [geo(e0, n0), geo(e1, n0), geo(e1, n1), geo(e0, n1), geo(e0, n0)];
  const { hill } = shape;
  const landuse: LanduseCollection = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { kind: 'park' },
        geometry: { type: 'Polygon', coordinates: [box(hill.eastM - 1.2 * hill.sigmaM, hill.northM - 1.2 * hill.sigmaM, hill.eastM + 1.2 * hill.sigmaM, hill.northM + 1.2 * hill.sigmaM)] },
      },
      {
        type: 'Feature',
        properties: { kind: 'beach' },
        geometry: { type: 'Polygon', coordinates: [box(0.45 * widthM, shape.coastM - 10, 0.9 * widthM, shape.coastM + 30)] },
      },
      {
        type: 'Feature',
        properties: { kind: 'plaza' },
        geometry: { type: 'Polygon', coordinates: [box(0.08 * widthM, 0.3 * heightM, 0.18 * widthM, 0.38 * heightM)] },
      },
    ],
  };

  const arterial = { northM: 0.42 * heightM, widthM: 24 };
  const roads: RoadCollection = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { class: 'arterial', widthM: arterial.widthM },
        geometry: { type: 'LineString', coordinates: [geo(0, arterial.northM), geo(0.5 * widthM, arterial.northM), geo(widthM, arterial.northM)] },
      },
      {
        type: 'Feature',
        properties: { class: 'secondary', widthM: 14 },
        geometry: { type: 'LineString', coordinates: [geo(0.5 * widthM, shape.coastM + 40), geo(0.5 * widthM, 0.9 * heightM)] },
      },
      {
        type: 'Feature',
        properties: { class: 'local', widthM: 7 },
        geometry: { type: 'LineString', coordinates: [geo(0.05 * widthM, 0.8 * heightM), geo(0.45 * widthM, 0.82 * heightM)] },
      },
    ],
  };

  const buildings: FootprintCollection = { type: 'FeatureCollection', features: [] };
  for (let e = 0.05 * widthM; e < 0.45 * widthM; e += 40) {
    for (const n of [arterial.northM + 30, arterial.northM - 55]) {
      buildings.features.push({ type: 'Feature', properties: null, geometry: { type: 'Polygon', coordinates: [box(e, n, e + 25, n + 22)] } });
    }
  }

  return { dem, water, landuse, roads, buildings, widthM, heightM, lonLat, ...shape, river, arterial };
}
