/**
 * The 2D analysis view, the "one map": deck.gl over the twin's own basemap (no online tiles).
 * Layers: density of cases (or alarms) as hexagons per ~100 m cell, device coverage and health
 * (poles coloured by live status), traffic flows per road, grid cells, emergency units with their
 * routes and sites, and the current selection. Redraws only when its inputs change.
 */
import { Deck, MapView, type PickingInfo } from '@deck.gl/core';
import { HexagonLayer } from '@deck.gl/aggregation-layers';
import { BitmapLayer, GeoJsonLayer, PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { LiveStatus } from '../../../../domain/terminals';
import type { PoleRecord, TwinManifest } from '../../../../domain/twinPackage';
import { twinUrl } from '../../shared/twinApi';
import { STATUS_COLORS } from '../live/statusColors';
import { flowColor, type RoadFlow } from './core/trafficFlows';
import { UNIT_STATUS_COLORS, type EmergencyOverlay } from '../emergency/core/incidents';

export interface DensityPoint {
  lon: number;
  lat: number;
}

export interface RoadPath {
  id: string;
  path: number[][];
}

export interface OneMapData {
  poles: readonly PoleRecord[];
  status: (poleId: string) => LiveStatus;
  density: readonly DensityPoint[];
  flows: ReadonlyMap<string, RoadFlow>;
  roads: readonly RoadPath[];
  gridCells: unknown;
  selected: { lon: number; lat: number } | null;
  show: { density: boolean; coverage: boolean; traffic: boolean };
  /** Emergency units under way: routes, positions, sites (features/emergency). */
  emergency?: EmergencyOverlay;
}

export type OneMapPick = { kind: 'pole'; id: string } | null;

const HEX_RADIUS_M = 100;
/** What a wireless terminal on a lamp pole typically reaches (cameras, sensors' gateway). */
const COVERAGE_RADIUS_M = 60;

const rgb = (css: string, alpha = 255): [number, number, number, number] => {
  const n = parseInt(css.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, alpha];
};
const STATUS_RGB = Object.fromEntries(Object.entries(STATUS_COLORS).map(([s, c]) => [s, rgb(c)])) as Record<LiveStatus, [number, number, number, number]>;

export class OneMap {
  readonly deck: Deck<MapView>;
  private data: OneMapData | undefined;
  private statusVersion = 0;
  private basemap: HTMLImageElement | null = null;

  constructor(
    parent: HTMLDivElement,
    private readonly manifest: TwinManifest,
    private readonly onPick: (pick: OneMapPick) => void,
  ) {
    const { lon, lat } = manifest.center;
    this.deck = new Deck({
      parent,
      views: new MapView({ repeat: false }),
      initialViewState: { longitude: lon, latitude: lat, zoom: 14, pitch: 0, bearing: 0 },
      controller: true,
      useDevicePixels: 1,
      onClick: (info: PickingInfo) => this.onPick(this.pickResult(info)),
      getCursor: ({ isHovering }) => (isHovering ? 'pointer' : 'grab'),
    });
    // Decoded here rather than by deck's loader so the map shows it as soon as it is ready.
    const image = new Image();
    image.src = twinUrl(manifest.files.basemap.image);
    image.decode().then(
      () => {
        this.basemap = image;
        if (this.data) this.update(this.data, false);
      },
      () => undefined, // without the basemap the layers still read on the dark background
    );
  }

  /** The pole under a canvas position, as a click there would select it. */
  pickAt(x: number, y: number): OneMapPick {
    const info = this.deck.pickObject({ x, y, radius: 6, layerIds: ['poles'] });
    return info ? this.pickResult(info) : null;
  }

  /** Screen position of a pole, for tests that click it. */
  project(lon: number, lat: number): [number, number] | null {
    const viewport = this.deck.getViewports()[0];
    if (!viewport) return null;
    const [x, y] = viewport.project([lon, lat]);
    return [x!, y!];
  }

  centreOn(lon: number, lat: number): void {
    this.deck.setProps({ initialViewState: { longitude: lon, latitude: lat, zoom: 16, pitch: 0, bearing: 0, transitionDuration: 600 } });
  }

  update(data: OneMapData, statusChanged: boolean): void {
    this.data = data;
    if (statusChanged) this.statusVersion++;
    const { bounds } = this.manifest.files.basemap;
    this.deck.setProps({
      layers: [
        new BitmapLayer({ id: 'basemap', image: this.basemap, visible: this.basemap !== null, bounds: [bounds.west, bounds.south, bounds.east, bounds.north] }),
        new GeoJsonLayer({ id: 'grid-cells', data: data.gridCells as never, stroked: true, filled: false, getLineColor: [90, 209, 255, 90], lineWidthMinPixels: 1 }),
        new PathLayer<RoadPath>({
          id: 'traffic',
          data: data.roads,
          visible: data.show.traffic,
          getPath: (r) => r.path as [number, number][],
          getColor: (r) => flowColor(data.flows.get(r.id)),
          getWidth: (r) => (data.flows.has(r.id) ? 6 : 2),
          widthUnits: 'pixels',
          updateTriggers: { getColor: [data.flows], getWidth: [data.flows] },
        }),
        new HexagonLayer<DensityPoint>({
          id: 'density',
          data: data.density,
          visible: data.show.density,
          getPosition: (p) => [p.lon, p.lat],
          radius: HEX_RADIUS_M,
          extruded: false,
          opacity: 0.55,
          gpuAggregation: false,
          colorRange: [
            [255, 255, 178],
            [254, 217, 118],
            [254, 178, 76],
            [253, 141, 60],
            [240, 59, 32],
            [189, 0, 38],
          ],
        }),
        new ScatterplotLayer<PoleRecord>({
          id: 'coverage',
          data: data.poles,
          visible: data.show.coverage,
          getPosition: (p) => [p.lon, p.lat],
          getRadius: COVERAGE_RADIUS_M,
          getFillColor: (p) => [...STATUS_RGB[data.status(p.id)].slice(0, 3), 28] as [number, number, number, number],
          stroked: false,
          updateTriggers: { getFillColor: this.statusVersion },
        }),
        new ScatterplotLayer<PoleRecord>({
          id: 'poles',
          data: data.poles,
          pickable: true,
          getPosition: (p) => [p.lon, p.lat],
          getRadius: 5,
          radiusMinPixels: 2.5,
          getFillColor: (p) => STATUS_RGB[data.status(p.id)],
          getLineColor: [10, 20, 32, 200],
          stroked: true,
          lineWidthMinPixels: 0.5,
          updateTriggers: { getFillColor: this.statusVersion },
        }),
        new PathLayer<EmergencyOverlay['routes'][number]>({
          id: 'emergency-routes',
          data: data.emergency?.routes ?? [],
          getPath: (r) => r.path,
          getColor: (r) => rgb(UNIT_STATUS_COLORS[r.status], 220),
          getWidth: 5,
          widthUnits: 'pixels',
        }),
        new ScatterplotLayer<{ lon: number; lat: number }>({
          id: 'emergency-sites',
          data: data.emergency?.sites ?? [],
          getPosition: (p) => [p.lon, p.lat],
          getRadius: 12,
          radiusMinPixels: 8,
          getFillColor: [255, 59, 48, 255],
          getLineColor: [255, 255, 255, 255],
          stroked: true,
          lineWidthMinPixels: 2,
        }),
        new ScatterplotLayer<EmergencyOverlay['units'][number]>({
          id: 'emergency-units',
          data: data.emergency?.units ?? [],
          getPosition: (u) => [u.lon, u.lat],
          getRadius: 10,
          radiusMinPixels: 6,
          getFillColor: (u) => rgb(UNIT_STATUS_COLORS[u.status]),
          getLineColor: [10, 20, 32, 255],
          stroked: true,
          lineWidthMinPixels: 1,
        }),
        new ScatterplotLayer<{ lon: number; lat: number }>({
          id: 'selection',
          data: data.selected ? [data.selected] : [],
          getPosition: (p) => [p.lon, p.lat],
          getRadius: 14,
          radiusMinPixels: 9,
          filled: false,
          stroked: true,
          getLineColor: [255, 204, 51, 255],
          lineWidthMinPixels: 3,
        }),
      ],
    });
  }

  destroy(): void {
    this.deck.finalize();
  }

  private pickResult(info: PickingInfo): OneMapPick {
    if (info.layer?.id !== 'poles' || !info.object) return null;
    return { kind: 'pole', id: (info.object as PoleRecord).id };
  }
}
