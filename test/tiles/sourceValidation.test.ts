/**
 * City source validation: geometry checks and per-layer property validators, each bad input
 * giving a reason that names what is wrong.
 */
import { describe, expect, it } from 'vitest';
import { findCrossingEdges, parseLineString, parsePoint, parsePolygonal, ringArea2 } from '../../tiles/source/geometryChecks';
import { BUILDINGS, COMPONENTS, TERMINALS, parseDepartment, parseFeature } from '../../tiles/source/layerValidators';
import { parseManifest } from '../../tiles/source/manifest';
import { rejectionReason } from './rejectionReason';

const square = [[113.7, 22.83], [113.701, 22.83], [113.701, 22.831], [113.7, 22.831], [113.7, 22.83]];

const reason = rejectionReason;

describe('geometry checks', () => {
  it('accepts a polygon and winds it by the right-hand rule', () => {
    const cw = [...square].reverse();
    const hole = [[113.7003, 22.8303], [113.7006, 22.8303], [113.7006, 22.8306], [113.7003, 22.8306], [113.7003, 22.8303]];
    const g = parsePolygonal({ type: 'Polygon', coordinates: [cw, hole] });
    expect(g.type).toBe('Polygon');
    const rings = g.coordinates as number[][][];
    expect(ringArea2(rings[0]!)).toBeGreaterThan(0);
    expect(ringArea2(rings[1]!)).toBeLessThan(0);
  });

  it('drops consecutive duplicates and heights', () => {
    const g = parseLineString({ type: 'LineString', coordinates: [[113.7, 22.8, 5], [113.7, 22.8], [113.71, 22.8]] });
    expect(g.coordinates).toEqual([[113.7, 22.8], [113.71, 22.8]]);
  });

  const point = (g: unknown) => parsePoint(g);
  const line = (g: unknown) => parseLineString(g);
  const area = (g: unknown) => parsePolygonal(g);
  it.each([
    ['longitude out of range', point, { type: 'Point', coordinates: [200, 10] }, 'longitude'],
    ['NaN latitude', point, { type: 'Point', coordinates: [113, Number.NaN] }, 'latitude'],
    ['open ring', area, { type: 'Polygon', coordinates: [square.slice(0, 4)] }, 'not closed'],
    ['too few positions', area, { type: 'Polygon', coordinates: [[square[0], square[1], square[0]]] }, 'distinct positions'],
    ['bow tie', area, { type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] }, 'self-intersecting'],
    ['spike', area, { type: 'Polygon', coordinates: [[[0, 0], [2, 0], [1, 0], [1, 1], [0, 0]]] }, 'overlap'],
    ['hole outside', area, { type: 'Polygon', coordinates: [square, [[5, 5], [5, 6], [6, 6], [5, 5]]] }, 'outside the exterior'],
    ['one-point line', line, { type: 'LineString', coordinates: [[0, 0]] }, 'at least 2'],
    ['wrong type', area, { type: 'GeometryCollection', coordinates: [] }, 'expected Polygon or MultiPolygon'],
    ['no geometry', area, null, 'missing'],
  ])('rejects a %s', (_name, parse, geometry, fragment) => {
    expect(reason(() => parse(geometry))).toContain(fragment);
  });

  it('lets a hole touch the exterior at one point', () => {
    const outer = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]];
    const hole = [[0, 0], [1, 2], [2, 1], [0, 0]];
    expect(findCrossingEdges([outer, hole])).toBeUndefined();
  });
});

describe('layer validators', () => {
  const building = (props: Record<string, unknown>) =>
    parseFeature({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [square] }, properties: props }, BUILDINGS);

  it('keeps known building properties in a fixed order', () => {
    const f = building({ floors: 3, id: 'B1', use: 'office', height: 10, extra: 1, gridCode: '44190000100101' });
    expect(Object.keys(f.properties)).toEqual(['id', 'height', 'floors', 'use', 'gridCode']);
  });

  it.each([
    [{ id: 'B1', height: 0, floors: 1, use: 'office' }, 'height must be a number > 0'],
    [{ id: 'B1', height: 10, floors: 1.5, use: 'office' }, 'floors must be an integer'],
    [{ id: 'B1', height: 10, floors: 70000, use: 'office' }, '≤ 65535'],
    [{ id: 'B1', height: 10, floors: 1, use: 'castle' }, 'use must be one of'],
    [{ id: '', height: 10, floors: 1, use: 'office' }, 'id must be a non-empty string'],
    [{ id: 'B1', height: 10, floors: 1, use: 'office', gridCode: 'A1' }, 'gridCode'],
  ])('rejects building %j', (props, fragment) => {
    expect(reason(() => building(props))).toContain(fragment);
  });

  it('checks that a component code carries its class', () => {
    const f = (props: Record<string, unknown>) =>
      parseFeature({ type: 'Feature', geometry: { type: 'Point', coordinates: [113.7, 22.8] }, properties: props }, COMPONENTS);
    expect(f({ code: '4419000101000001', classCode: '0101', ownerId: 'D1' }).properties.classCode).toBe('0101');
    expect(reason(() => f({ code: '4419000101000001', classCode: '0114', ownerId: 'D1' }))).toContain('digits 7–10');
    expect(reason(() => f({ code: '4419000901000001', classCode: '0901', ownerId: 'D1' }))).toContain('major class');
  });

  it('reads a camera terminal\'s pose and streams, naming the field that is wrong', () => {
    const f = (props: Record<string, unknown>) =>
      parseFeature({ type: 'Feature', geometry: { type: 'Point', coordinates: [113.7, 22.8] }, properties: props }, TERMINALS);
    const pose = { lon: 113.7, lat: 22.8, heightM: 8, headingDeg: 90, pitchDeg: -15, hfovDeg: 60, aspect: 16 / 9, rangeM: 120 };
    const cam = { id: 'T1', poleId: 'P1', type: 'camera', model: 'IPC' };
    const good = f({ ...cam, camera: { pose, streams: [{ protocol: 'hls', url: 'http://media.local/live/T1.m3u8' }] } }).properties;
    expect(good.camera).toEqual({ pose, streams: [{ protocol: 'hls', url: 'http://media.local/live/T1.m3u8' }], embedded: false });
    expect(f(cam).properties.camera).toBeUndefined();
    expect(reason(() => f({ ...cam, camera: { pose: { ...pose, pitchDeg: -120 } } }))).toContain('camera.pose.pitchDeg must be a number ≥ -90');
    expect(reason(() => f({ ...cam, camera: { pose: { ...pose, hfovDeg: 0 } } }))).toContain('camera.pose.hfovDeg');
    expect(reason(() => f({ ...cam, camera: { pose, streams: [{ protocol: 'rtmp', url: '/x' }] } }))).toContain('camera.streams[0].protocol must be one of hls, flv, whep');
    expect(reason(() => f({ ...cam, camera: { pose, streams: [{ protocol: 'flv', url: 'rtsp://cam/1' }] } }))).toContain('camera.streams[0].url');
    expect(reason(() => f({ ...cam, type: 'lamp', camera: { pose } }))).toContain('only for camera and traffic-camera terminals');
  });

  it('validates department rows', () => {
    expect(parseDepartment({ id: 'D', name: { 'zh-CN': '甲', en: 'A' }, componentClasses: ['0101'], terminalTypes: ['lamp'] }).id).toBe('D');
    expect(reason(() => parseDepartment({ id: 'D', name: { 'zh-CN': '甲', en: 'A' }, componentClasses: [], terminalTypes: ['robot'] }))).toContain(
      'terminalTypes[0] must be one of',
    );
  });
});

describe('manifest', () => {
  const good = {
    format: 'citytwin-source',
    version: 1,
    name: { 'zh-CN': '城', en: 'City' },
    demCrs: 'EPSG:4547',
    countyCode: '441900',
    layers: { dem: 'dem.asc', buildings: 'b.geojson', roads: 'r.geojson' },
  };
  it('accepts a minimal manifest', () => {
    expect(parseManifest(good, 'city.json').layers).toEqual(good.layers);
  });
  it.each([
    [{ ...good, format: 'x' }, 'city.json: format'],
    [{ ...good, version: 2 }, 'city.json: version 2'],
    [{ ...good, countyCode: '4419' }, 'city.json: countyCode'],
    [{ ...good, layers: { ...good.layers, roads: '../../etc/passwd' } }, 'city.json: layers.roads'],
    [{ ...good, name: { en: 'City' } }, 'city.json: name.zh-CN'],
    [[], 'city.json: is not a JSON object'],
  ])('rejects %j', (m, message) => {
    expect(() => parseManifest(m, 'city.json')).toThrow(message);
  });
});
