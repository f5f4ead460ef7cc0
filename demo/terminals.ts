/**
 * The IoT terminals each smart pole carries. Every pole has its lamp controller; what else it
 * carries depends on where it stands: security cameras on about a third of poles, enforcement
 * cameras near signalised junctions, cover sensors beside manhole covers, water-level sensors
 * where the ground is low or the river near, and an environment monitor on every eighth pole.
 */
import type { Grid } from '../kernel/raster/grid';
import { TERMINAL_TYPES, type TerminalType } from '../domain/terminals';
import type { Component } from './components';
import type { PlanFrame } from './frame';
import type { Landform } from './landform';
import type { Pole } from './poles';
import type { Rng } from '../kernel/random';
import type { Signal } from './junctions';
import { SpatialIndex } from './spatialIndex';
import { groundAt } from './terrain';
import { cameraPose, type PlanCameraPose } from './cameraPoses';

export interface Terminal {
  id: string;
  pole: Pole;
  type: TerminalType;
  model: string;
  /** Security and enforcement cameras: where the lens is and where it looks. */
  camera?: PlanCameraPose;
}

const TRAFFIC_CAMERA_RADIUS_M = 60;
/** A cover within this distance is "next to" the pole: its sensor reports through the pole's gateway. */
const COVER_SENSOR_RADIUS_M = 30;
/** Ground below this is where water gathers first on this coast (metres). */
const LOW_GROUND_M = 5;
/** Poles this close to the river's edge watch its level. */
const RIVER_WATCH_M = 100;
const ENVIRONMENT_EVERY = 8;

/** Device models per type: plausible catalogue names, two or three per kind as a real fleet has. */
const MODELS: Record<TerminalType, readonly string[]> = {
  lamp: ['SLC-NB200 single-lamp controller', 'SLC-PLC300 single-lamp controller'],
  camera: ['IPC-B4M-IR 4MP bullet camera', 'IPC-D4M-AI 4MP dome camera', 'PTZ-2M-25X speed dome'],
  'traffic-camera': ['TEC-ANPR-900 enforcement camera', 'TEC-RADAR-800 speed and flow camera'],
  'cover-sensor': ['MCS-NB10 tilt and open sensor', 'MCS-LR20 tilt and open sensor'],
  'water-level': ['WLS-R60 radar water-level gauge', 'WLS-U30 ultrasonic water-level gauge'],
  environment: ['EMS-7 seven-parameter weather station', 'EMS-9 air, noise and weather monitor'],
};

export function equipPoles(
  poles: readonly Pole[],
  signals: readonly Signal[],
  components: readonly Component[],
  dem: Grid,
  landform: Landform,
  frame: PlanFrame,
  rng: Rng,
): Terminal[] {
  const signalIndex = new SpatialIndex<Signal>(100);
  for (const s of signals) signalIndex.insert({ minX: s.x, minY: s.y, maxX: s.x, maxY: s.y }, s);
  const coverIndex = new SpatialIndex<Component>(50);
  for (const c of components) {
    if (c.classCode !== '0114') coverIndex.insert({ minX: c.x, minY: c.y, maxX: c.x, maxY: c.y }, c);
  }
  const within = <T extends { x: number; y: number }>(index: SpatialIndex<T>, x: number, y: number, r: number): boolean =>
    index.search({ minX: x - r, minY: y - r, maxX: x + r, maxY: y + r }).some((item) => Math.hypot(item.x - x, item.y - y) <= r);

  const nearestSignal = (x: number, y: number): Signal | undefined => {
    let best: Signal | undefined;
    let bestD = TRAFFIC_CAMERA_RADIUS_M;
    for (const s of signalIndex.search({ minX: x - bestD, minY: y - bestD, maxX: x + bestD, maxY: y + bestD })) {
      const d = Math.hypot(s.x - x, s.y - y);
      if (d <= bestD) [best, bestD] = [s, d];
    }
    return best;
  };
  // Its own stream, so poses never shift the models or equipment drawn from `rng`.
  const poseRng = rng.fork('camera-poses');

  const out: Terminal[] = [];
  poles.forEach((pole, i) => {
    const [p, q] = frame.toPlan(pole.x, pole.y);
    const has: Record<TerminalType, boolean> = {
      lamp: true,
      camera: rng.chance(1 / 3),
      'cover-sensor': within(coverIndex, pole.x, pole.y, COVER_SENSOR_RADIUS_M),
      'water-level':
        groundAt(dem, pole.x, pole.y) < LOW_GROUND_M ||
        landform.riverDistance(p, q) < landform.riverHalfWidth(q) + RIVER_WATCH_M,
      environment: i % ENVIRONMENT_EVERY === 0,
      'traffic-camera': within(signalIndex, pole.x, pole.y, TRAFFIC_CAMERA_RADIUS_M),
    };
    for (const type of TERMINAL_TYPES) {
      if (!has[type]) continue;
      const terminal: Terminal = { id: `${pole.id}-${type}`, pole, type, model: rng.pick(MODELS[type]) };
      if (type === 'camera' || type === 'traffic-camera') {
        terminal.camera = cameraPose(type, pole, type === 'traffic-camera' ? nearestSignal(pole.x, pole.y) : undefined, poseRng);
      }
      out.push(terminal);
    }
  });
  return out;
}
