import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnuFrame, geodeticToEcef, type Vec3 } from '../../kernel/geodesy';
import { sampleGrid } from '../../kernel/raster/grid';
import { decodeQuantizedMesh, type DecodedQuantizedMesh } from '../../tiles/pipeline/terrain/decode';
import { DEFAULT_EDGE_FALLOFF_M, buildTerrain, sampleTerrainHeight, type TerrainLayerJson, type TerrainResult } from '../../tiles/pipeline/terrain/index';
import { FAR_HORIZON_MAGNITUDE, QUANTIZED_MAX, octDecode } from '../../tiles/pipeline/terrain/quantizedMesh';
import { metresPerDegree, tileBounds, tileSizeDeg, tilesY, TILE_GRID_SIZE } from '../../tiles/pipeline/terrain/tilingScheme';
import { DEM_CRS, groundHeight } from './syntheticDistrict';
import {
  dem,
  district,
  expectedHeight,
  inRing,
  insideDemBy,
  key,
  parseKey,
  proj,
  riverRing,
  seaRing,
  toScaled,
  vertexAt,
  vertices,
  visibleFrom,
} from './terrainFixture';

// The district (1.2 km × 1 km at 10 m, small enough to check every vertex of every tile) and
// the independent checks are in terrainFixture.ts; the encoder's round trip in quantizedMesh.test.ts.
let dir = '';
let result: TerrainResult;
let layer: TerrainLayerJson;
const tiles = new Map<string, DecodedQuantizedMesh>();
const progress: Array<[number, number]> = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'citytwin-terrain-'));
  result = await buildTerrain({ dem, demCrs: DEM_CRS, water: district.water, outDir: dir, onProgress: (d, t) => progress.push([d, t]) });
  layer = JSON.parse(await readFile(join(dir, 'layer.json'), 'utf8')) as TerrainLayerJson;
  for (const z of await readdir(dir)) {
    if (z === 'layer.json') continue;
    for (const x of await readdir(join(dir, z))) {
      for (const file of await readdir(join(dir, z, x))) {
        tiles.set(`${z}/${x}/${file.replace('.terrain', '')}`, decodeQuantizedMesh(await readFile(join(dir, z, x, file))));
      }
    }
  }
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});


describe('buildTerrain', () => {
  it('writes a layer.json that CesiumTerrainProvider accepts', () => {
    expect(layer.tilejson).toBeTypeOf('string');
    expect(layer.format).toBe('quantized-mesh-1.0');
    expect(layer.scheme).toBe('tms');
    expect(layer.projection).toBe('EPSG:4326');
    expect(layer.tiles).toEqual(['{z}/{x}/{y}.terrain?v={version}']);
    expect(layer.version).toMatch(/^1\.0\.0-[0-9a-f]{12}$/);
    expect(layer.extensions).toEqual(['octvertexnormals', 'watermask']);
    expect(layer.minzoom).toBe(0);
    expect(layer.maxzoom).toBe(result.maxLevel);
    expect(layer.bounds).toEqual([result.bounds.west, result.bounds.south, result.bounds.east, result.bounds.north]);
    expect(layer.available).toHaveLength(result.maxLevel + 1);
    expect(layer.available[0]).toEqual([{ startX: 0, startY: 0, endX: 1, endY: 0 }]);
  });

  it('lists in `available` exactly the tiles on disk, ancestors included', () => {
    const listed = new Set<string>();
    layer.available.forEach((ranges, level) => {
      for (const r of ranges) for (let x = r.startX; x <= r.endX; x++) for (let y = r.startY; y <= r.endY; y++) listed.add(key(level, x, y));
    });
    expect([...tiles.keys()].sort()).toEqual([...listed].sort());
    expect(result.tiles).toBe(listed.size);
    for (const k of listed) {
      const [z, x, y] = parseKey(k);
      if (z > 0) expect(listed.has(key(z - 1, x >> 1, y >> 1)), `parent of ${k}`).toBe(true);
    }
    // Every tile past level 0 overlaps the DEM widened by the falloff distance (plus a hair).
    const m = metresPerDegree((result.bounds.south + result.bounds.north) / 2);
    const padLon = (DEFAULT_EDGE_FALLOFF_M * 1.05) / m.lon;
    const padLat = (DEFAULT_EDGE_FALLOFF_M * 1.05) / m.lat;
    const o = { west: result.bounds.west - padLon, east: result.bounds.east + padLon, south: result.bounds.south - padLat, north: result.bounds.north + padLat };
    for (const k of listed) {
      const [z, x, y] = parseKey(k);
      if (z === 0) continue;
      const b = tileBounds(z, x, y);
      expect(b.west < o.east && b.east > o.west && b.south < o.north && b.north > o.south, k).toBe(true);
    }
    // …and the full-detail level covers the whole falloff ring around the DEM.
    const deepest = new Set([...listed].filter((k) => parseKey(k)[0] === result.maxLevel));
    for (const [lon, lat] of [[o.west + padLon * 0.1, o.south + padLat * 0.1], [o.east - padLon * 0.1, o.north - padLat * 0.1]] as const) {
      const size = tileSizeDeg(result.maxLevel);
      expect(deepest.has(key(result.maxLevel, Math.floor((lon + 180) / size), Math.floor((lat + 90) / size))), `${lon},${lat}`).toBe(true);
    }
    expect(progress.at(-1)).toEqual([result.tiles, result.tiles]);
  });

  it('stops at the level whose vertex spacing first matches the DEM cell', () => {
    const mPerDeg = metresPerDegree((result.bounds.south + result.bounds.north) / 2).lat;
    const spacing = (level: number) => (tileSizeDeg(level) / (TILE_GRID_SIZE - 1)) * mPerDeg;
    expect(spacing(result.maxLevel)).toBeLessThanOrEqual(dem.cellSize);
    expect(spacing(result.maxLevel - 1)).toBeGreaterThan(dem.cellSize);
    expect(result.maxLevel).toBe(15);
  });

  it('reports the surface height range over the DEM', () => {
    expect(result.minHeight).toBeGreaterThanOrEqual(-1);
    expect(result.minHeight).toBeLessThan(1);
    const top = groundHeight(district, district.hill.eastM, district.hill.northM);
    expect(result.maxHeight).toBeGreaterThan(top - 2);
    expect(result.maxHeight).toBeLessThanOrEqual(top + 0.01);
  });

  it('encodes a 65 × 65 grid whose triangles tile the square exactly, with edge lists on the edges', () => {
    const n = TILE_GRID_SIZE;
    for (const [k, t] of tiles) {
      expect(t.u.length, k).toBe(n * n);
      expect(t.indices.length, k).toBe(6 * (n - 1) * (n - 1));
      let area2 = 0;
      let clockwise = 0;
      const edgeUse = new Map<number, number>();
      for (let i = 0; i < t.indices.length; i += 3) {
        const a = t.indices[i]!, b = t.indices[i + 1]!, c = t.indices[i + 2]!;
        const cross = (t.u[b]! - t.u[a]!) * (t.v[c]! - t.v[a]!) - (t.v[b]! - t.v[a]!) * (t.u[c]! - t.u[a]!);
        if (!(cross > 0)) clockwise++;
        area2 += cross;
        for (const [p, q] of [[a, b], [b, c], [c, a]] as const) {
          const e = Math.min(p, q) * 65536 + Math.max(p, q);
          edgeUse.set(e, (edgeUse.get(e) ?? 0) + 1);
        }
      }
      // Counter-clockwise and non-degenerate, adding up to the whole square.
      expect(clockwise, k).toBe(0);
      expect(area2, k).toBe(2 * QUANTIZED_MAX * QUANTIZED_MAX);
      // A manifold: inner edges shared by two triangles, border edges by one, lying on the border.
      let badEdges = 0;
      for (const [e, count] of edgeUse) {
        const p = Math.floor(e / 65536), q = e % 65536;
        const onBorder =
          (t.u[p] === 0 && t.u[q] === 0) ||
          (t.u[p] === QUANTIZED_MAX && t.u[q] === QUANTIZED_MAX) ||
          (t.v[p] === 0 && t.v[q] === 0) ||
          (t.v[p] === QUANTIZED_MAX && t.v[q] === QUANTIZED_MAX);
        if (count !== (onBorder ? 1 : 2)) badEdges++;
      }
      expect(badEdges, k).toBe(0);
      const expectEdge = (list: Uint32Array, on: (i: number) => boolean) => {
        const all = Array.from(t.u.keys()).filter(on);
        expect([...list].sort((a, b) => a - b), k).toEqual(all);
      };
      expectEdge(t.westIndices, (i) => t.u[i] === 0);
      expectEdge(t.southIndices, (i) => t.v[i] === 0);
      expectEdge(t.eastIndices, (i) => t.u[i] === QUANTIZED_MAX);
      expectEdge(t.northIndices, (i) => t.v[i] === QUANTIZED_MAX);
    }
  });

  it('puts each vertex at the DEM height (the faded edge off it, ≥ 0 on the sea) within the quantisation step', () => {
    let checked = 0;
    let onDem = 0;
    const misses: string[] = [];
    for (const [k, t] of tiles) {
      const [z, x, y] = parseKey(k);
      const tol = (t.header.maxHeight - t.header.minHeight) / QUANTIZED_MAX / 2 + 1e-3;
      for (const v of vertices(z, x, y, t)) {
        const e = expectedHeight(v.lon, v.lat);
        if (e.nearDemEdge) continue;
        if (!(Math.abs(v.h - e.h) <= tol)) misses.push(`${k} at ${v.lon},${v.lat}: ${v.h} vs ${e.h}`);
        checked++;
        if (e.h !== 0) onDem++;
      }
    }
    expect(misses.slice(0, 5)).toEqual([]);
    // Only vertices within a centimetre of the DEM's edge are skipped (lattice vs proj4 rounding).
    expect(checked).toBeGreaterThan(0.99 * tiles.size * TILE_GRID_SIZE * TILE_GRID_SIZE);
    expect(onDem).toBeGreaterThan(10_000);
  });

  it('slopes off the DEM to the ellipsoid: no cliff at the edge, 0 beyond the falloff, never below 0', () => {
    let beyond = 0;
    let straddling = 0;
    let demSlope = 0;
    const jumps: Array<{ k: string; dh: number; spacing: number }> = [];
    for (const [k, t] of tiles) {
      const [z, x, y] = parseKey(k);
      const tol = (t.header.maxHeight - t.header.minHeight) / QUANTIZED_MAX + 1e-3;
      const vs = vertices(z, x, y, t);
      const expected = vs.map((v) => expectedHeight(v.lon, v.lat));
      vs.forEach((v, i) => {
        if (expected[i]!.offDemM === 0) return;
        expect(v.h, `${k} off the DEM`).toBeGreaterThanOrEqual(-tol);
        if (expected[i]!.offDemM > DEFAULT_EDGE_FALLOFF_M) {
          expect(Math.abs(v.h), `${k} beyond the falloff`).toBeLessThanOrEqual(tol);
          beyond++;
        }
      });
      if (z !== result.maxLevel) continue;
      // East–west neighbours in the full-detail tiles: the DEM's own steepest step, and the steps across its edge.
      const spacing = (tileSizeDeg(z) / (TILE_GRID_SIZE - 1)) * metresPerDegree(vs[0]!.lat).lon;
      for (let j = 0; j < TILE_GRID_SIZE; j++) {
        for (let i = 0; i + 1 < TILE_GRID_SIZE; i++) {
          const a = vertexAt(t, i, j);
          const b = vertexAt(t, i + 1, j);
          if (a === undefined || b === undefined) continue;
          const dh = Math.abs(vs[a]!.h - vs[b]!.h);
          const offA = expected[a]!.offDemM > 0;
          const offB = expected[b]!.offDemM > 0;
          if (!offA && !offB) demSlope = Math.max(demSlope, dh / spacing);
          else if (offA !== offB) {
            straddling++;
            jumps.push({ k, dh: dh - 2 * tol, spacing });
          }
        }
      }
    }
    expect(beyond).toBeGreaterThan(0);
    expect(straddling).toBeGreaterThan(0);
    // A step across the edge is no steeper than the DEM itself plus the fade's steepest slope (1.5 × h / distance).
    const maxEdge = Math.max(0, result.maxHeight);
    const allowed = demSlope + (1.5 * maxEdge) / DEFAULT_EDGE_FALLOFF_M;
    const cliffs = jumps.filter((j) => j.dh > allowed * j.spacing).map((j) => `${j.k}: ${j.dh.toFixed(2)} m over ${j.spacing.toFixed(1)} m`);
    expect(cliffs.slice(0, 5)).toEqual([]);
  });

  it('shows the sea surface: offshore vertices sit at 0 where the DEM is below it', () => {
    const level = result.maxLevel;
    let seaVertices = 0;
    for (const [k, t] of tiles) {
      const [z, x, y] = parseKey(k);
      if (z !== level) continue;
      for (const v of vertices(z, x, y, t)) {
        const [px, py] = proj.fromLonLat(v.lon, v.lat);
        const raw = sampleGrid(dem, px, py);
        if (!(raw < -0.5) || !inRing(v.lon, v.lat, seaRing)) continue;
        expect(Math.abs(v.h), k).toBeLessThan(0.01);
        seaVertices++;
      }
    }
    expect(seaVertices).toBeGreaterThan(100);
  });

  it('writes headers whose sphere holds every vertex and whose horizon point hides the tile only when it is hidden', () => {
    const [cLon, cLat] = district.lonLat(district.widthM / 2, district.heightM / 2);
    // Cameras near and far, above the district, off to the side and over the far side of the globe.
    const cameras: Vec3[] = [];
    for (const height of [50, 300, 3_000, 30_000, 300_000, 3_000_000, 30_000_000]) {
      for (const [dLon, dLat] of [[0, 0], [0.05, 0.02], [-0.2, 0.1], [3, -2], [40, 10], [-100, 30], [180, -22]]) {
        cameras.push(toScaled(geodeticToEcef(cLon + dLon!, Math.max(-89, Math.min(89, cLat + dLat!)), height)));
      }
    }
    let hidden = 0;
    for (const [k, t] of tiles) {
      const [z, x, y] = parseKey(k);
      const h = t.header;
      const positions = vertices(z, x, y, t).map((v) => geodeticToEcef(v.lon, v.lat, v.h));
      for (const p of positions) {
        const d = Math.hypot(p[0] - h.boundingSphereCenter[0], p[1] - h.boundingSphereCenter[1], p[2] - h.boundingSphereCenter[2]);
        expect(d, k).toBeLessThanOrEqual(h.boundingSphereRadius * (1 + 1e-12) + 1e-6);
      }
      expect(Math.hypot(h.center[0] - h.boundingSphereCenter[0], h.center[1] - h.boundingSphereCenter[1], h.center[2] - h.boundingSphereCenter[2])).toBeLessThan(h.boundingSphereRadius + 1);
      const hop = h.horizonOcclusionPoint;
      const magnitude = Math.hypot(...hop);
      expect(Number.isFinite(magnitude) && magnitude >= 1, k).toBe(true);
      if (z === 0) {
        // A hemisphere has no finite horizon point: the tile gets the far point on its axis.
        expect(magnitude).toBeCloseTo(FAR_HORIZON_MAGNITUDE, 6);
      }
      const scaled = positions.map(toScaled);
      for (const camera of cameras) {
        if (z === 0 && camera !== cameras[0]) continue;
        if (scaled.some((p) => visibleFrom(camera, p))) expect(visibleFrom(camera, hop), `${k} from ${camera.join(',')}`).toBe(true);
        else if (!visibleFrom(camera, hop)) hidden++;
      }
    }
    // The point is not just always visible: from the far side it does cull the district's tiles.
    expect(hidden).toBeGreaterThan(100);
  });

  it('bounds hills the coarse tiles’ vertices miss, in the header heights', () => {
    const top = groundHeight(district, district.hill.eastM, district.hill.northM);
    const [hLon, hLat] = district.lonLat(district.hill.eastM, district.hill.northM);
    for (const [k, t] of tiles) {
      const [z, x, y] = parseKey(k);
      const b = tileBounds(z, x, y);
      if (hLon > b.west && hLon < b.east && hLat > b.south && hLat < b.north) {
        expect(t.header.maxHeight, k).toBeGreaterThan(top - 2);
      }
    }
  });

  it('adds unit oct-encoded normals that follow the DEM slope', () => {
    let compared = 0;
    const facingWrong: string[] = [];
    for (const [k, t] of tiles) {
      expect(t.octNormals?.length, k).toBe(2 * t.u.length);
      const [z, x, y] = parseKey(k);
      const vs = vertices(z, x, y, t);
      const n: Vec3 = [0, 0, 0];
      const spacingM = (tileSizeDeg(z) / (TILE_GRID_SIZE - 1)) * 111_000;
      for (let i = 0; i < vs.length; i++) {
        const v = vs[i]!;
        octDecode(t.octNormals![2 * i]!, t.octNormals![2 * i + 1]!, n);
        if (Math.abs(Math.hypot(...n) - 1) > 1e-9) facingWrong.push(`${k} vertex ${i}: not unit`);
        const enu = new EnuFrame(v.lon, v.lat, 0);
        const up = n[0] * enu.up[0] + n[1] * enu.up[1] + n[2] * enu.up[2];
        const [px, py] = proj.fromLonLat(v.lon, v.lat);
        // The synthetic hill is 27° steep at most and the fade off the DEM far gentler, so no
        // vertex tilts further, not even at the DEM's edge (where a cliff would tip it sideways).
        const inside = insideDemBy(px, py) > 2 * spacingM;
        if (!(up > 0.88)) facingWrong.push(`${k} vertex ${i}: up ${up}`);
        if (z !== result.maxLevel || i % 7 !== 0 || !inside) continue;
        // Expected from the DEM itself: gradient over ±5 m in the grid's own axes.
        const dzdx = (sampleGrid(dem, px + 5, py) - sampleGrid(dem, px - 5, py)) / 10;
        const dzdy = (sampleGrid(dem, px, py + 5) - sampleGrid(dem, px, py - 5)) / 10;
        if (inRing(v.lon, v.lat, seaRing)) continue;
        const len = Math.hypot(dzdx, dzdy, 1);
        const east = n[0] * enu.east[0] + n[1] * enu.east[1] + n[2] * enu.east[2];
        const north = n[0] * enu.north[0] + n[1] * enu.north[1] + n[2] * enu.north[2];
        const cos = (-dzdx * east - dzdy * north + up) / len;
        expect((Math.acos(Math.min(1, cos)) * 180) / Math.PI, `${k} vertex ${i}`).toBeLessThan(3);
        compared++;
      }
    }
    expect(facingWrong.slice(0, 5)).toEqual([]);
    expect(compared).toBeGreaterThan(500);
  });

  it('adds a 256 × 256 water mask from the water polygons inside the district, one byte elsewhere', () => {
    let mixed = 0;
    const b = result.bounds;
    for (const [k, t] of tiles) {
      expect(t.waterMask, k).toBeDefined();
      const mask = t.waterMask!;
      expect([1, 65536], k).toContain(mask.length);
      const [z, x, y] = parseKey(k);
      const tb = tileBounds(z, x, y);
      if (mask.length === 1) {
        // Uniform tiles: the pixel at the tile centre tells which.
        const lon = (tb.west + tb.east) / 2, lat = (tb.south + tb.north) / 2;
        if (z > 0 && lon > b.west && lon < b.east && lat > b.south && lat < b.north && !inRing(lon, lat, seaRing)) expect(mask[0], k).toBe(0);
        continue;
      }
      mixed++;
      let wrong = 0;
      for (let row = 0; row < 256; row += 3) {
        for (let col = 0; col < 256; col += 3) {
          const lon = tb.west + ((col + 0.5) / 256) * (tb.east - tb.west);
          const lat = tb.north - ((row + 0.5) / 256) * (tb.north - tb.south);
          const inDistrict = lon >= b.west && lon <= b.east && lat >= b.south && lat <= b.north;
          const water = inDistrict && (inRing(lon, lat, seaRing) || inRing(lon, lat, riverRing));
          if (mask[row * 256 + col] !== (water ? 255 : 0)) wrong++;
        }
      }
      expect(wrong, k).toBeLessThanOrEqual(2);
      expect(mask.includes(0) && mask.includes(255), k).toBe(true);
    }
    expect(mixed).toBeGreaterThan(3);
    expect([...tiles.get('0/0/0')!.waterMask!]).toEqual([0]);
  });

  it('writes the same bytes for the same input', async () => {
    const again = await mkdtemp(join(tmpdir(), 'citytwin-terrain-'));
    try {
      await buildTerrain({ dem, demCrs: DEM_CRS, water: district.water, outDir: again, maxLevel: 12 });
      const first = await mkdtemp(join(tmpdir(), 'citytwin-terrain-'));
      await buildTerrain({ dem, demCrs: DEM_CRS, water: district.water, outDir: first, maxLevel: 12 });
      expect(await readFile(join(again, 'layer.json'), 'utf8')).toBe(await readFile(join(first, 'layer.json'), 'utf8'));
      await rm(first, { recursive: true, force: true });
    } finally {
      await rm(again, { recursive: true, force: true });
    }
  });
});

describe('sampleTerrainHeight', () => {
  it('matches the DEM through proj4 and is NaN off the DEM', () => {
    const sample = sampleTerrainHeight(dem, DEM_CRS);
    const b = result.bounds;
    for (let i = 0; i < 2000; i++) {
      const lon = b.west + (b.east - b.west) * ((i * 0.6180339887) % 1);
      const lat = b.south + (b.north - b.south) * ((i * 0.4142135623) % 1);
      const [x, y] = proj.fromLonLat(lon, lat);
      const want = sampleGrid(dem, x, y);
      const got = sample(lon, lat);
      if (Number.isNaN(want)) {
        if (Math.abs(insideDemBy(x, y)) > 0.01) expect(got).toBeNaN();
      } else {
        expect(Math.abs(got - want)).toBeLessThan(1e-3);
      }
    }
    expect(sample(b.west - 0.01, b.south)).toBeNaN();
    expect(sample(0, 0)).toBeNaN();
    const [lon, lat] = district.lonLat(district.hill.eastM, district.hill.northM);
    expect(sample(lon, lat)).toBeCloseTo(groundHeight(district, district.hill.eastM, district.hill.northM), 0);
  });

  it('answers a million queries in well under a second', () => {
    const sample = sampleTerrainHeight(dem, DEM_CRS);
    const b = result.bounds;
    const start = performance.now();
    let sum = 0;
    for (let i = 0; i < 1_000_000; i++) sum += sample(b.west + (b.east - b.west) * ((i * 0.618) % 1), b.south + (b.north - b.south) * ((i * 0.414) % 1)) || 0;
    expect(sum).toBeGreaterThan(0);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe('CesiumJS reading the tileset', () => {
  let server: Server | undefined;
  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('loads layer.json and tiles through CesiumTerrainProvider from a static server', async () => {
    server = createServer((req, res) => {
      const path = join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname));
      readFile(path).then(
        (body) => {
          res.writeHead(200, { 'content-type': path.endsWith('.json') ? 'application/json' : 'application/vnd.quantized-mesh' });
          res.end(body);
        },
        () => {
          res.writeHead(404);
          res.end();
        },
      );
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    const Cesium = await import('@cesium/engine');
    const provider = await Cesium.CesiumTerrainProvider.fromUrl(`http://127.0.0.1:${address.port}/`, {
      requestVertexNormals: true,
      requestWaterMask: true,
    });
    expect(provider.hasVertexNormals).toBe(true);
    expect(provider.hasWaterMask).toBe(true);

    // The max-level tile at the river mouth, in Cesium's north-origin rows.
    const level = result.maxLevel;
    const [lon, lat] = district.lonLat(district.river.eastM, district.coastM);
    const size = tileSizeDeg(level);
    const x = Math.floor((lon + 180) / size);
    const yTms = Math.floor((lat + 90) / size);
    const y = tilesY(level) - 1 - yTms;
    expect(provider.getTileDataAvailable(x, y, level)).toBe(true);
    expect(provider.getTileDataAvailable(x * 2, y * 2, level + 1)).toBe(false);
    expect(provider.getTileDataAvailable(0, 0, 0)).toBe(true);

    const data = await provider.requestTileGeometry(x, y, level);
    expect(data).toBeInstanceOf(Cesium.QuantizedMeshTerrainData);
    const mask: unknown = data!.waterMask;
    expect(mask instanceof Uint8Array && mask.length).toBe(65536);
    const rect = provider.tilingScheme.tileXYToRectangle(x, y, level);
    const decoded = tiles.get(key(level, x, yTms))!;
    const vs = vertices(level, x, yTms, decoded);
    for (let i = 0; i < vs.length; i += 97) {
      const v = vs[i]!;
      const h = data!.interpolateHeight(rect, Cesium.Math.toRadians(v.lon), Cesium.Math.toRadians(v.lat));
      expect(h).toBeCloseTo(v.h, 2);
      expect(Math.abs(h - expectedHeight(v.lon, v.lat).h)).toBeLessThan(0.01);
    }
    const root = await provider.requestTileGeometry(1, 0, 0);
    expect(root).toBeInstanceOf(Cesium.QuantizedMeshTerrainData);
  });
});
