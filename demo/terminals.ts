/**
 * The IoT terminals each smart pole carries. Every pole has its lamp controller; what else it
 * carries depends on where it stands: security cameras on about a third of poles, enforcement
 * cameras near signalised junctions, cover sensors beside manhole covers, water-level sensors
 * where the ground is low or the river near, and an environment monitor on every eighth pole.
 * The pole nearest each signalised junction (within 60 m) carries the junction's signal
 * controller. Lamps carry their rated power: 100–240 W, by a hash of the pole's id.
 */
import type { Grid } from '../kernel/raster/grid';
import { TERMINAL_TYPES, type TerminalType } from '../domain/terminals';
import type { Component } from './components';
import type { PlanFrame } from './frame';
import type { Landform } from './landform';
import type { Pole } from './poles';
import { fnv1a } from '../kernel/hash';
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
  /** Lamps: rated power, W. */
  ratedW?: number;
  /** Signal controllers: the junction they run. */
  signalId?: string;
}

const TRAFFIC_CAMERA_RADIUS_M = 60;
/** A junction's controller cabinet stands by a pole this close, or the junction has none in the twin. */
const SIGNAL_CONTROLLER_RADIUS_M = 60;
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
  'signal-controller': ['TSC-20999 signal controller', 'TSC-A8 adaptive signal controller'],
};

/** A lamp's rated power, 100–240 W in steps of 10, fixed by its pole's id (no draw from the generator's stream). */
export function demoLampRatedW(poleId: string): number {
  return 100 + 10 * (fnv1a(poleId) % 15);
}

/** Each signal's controller: on the nearest pole within the radius that runs no other junction. */
function controllerPoles(poles: readonly Pole[], signals: readonly Signal[]): Map<Pole, Signal> {
  const poleIndex = new SpatialIndex<Pole>(100);
  for (const p of poles) poleIndex.insert({ minX: p.x, minY: p.y, maxX: p.x, maxY: p.y }, p);
  const out = new Map<Pole, Signal>();
  const r = SIGNAL_CONTROLLER_RADIUS_M;
  for (const s of signals) {
    const near = poleIndex
      .search({ minX: s.x - r, minY: s.y - r, maxX: s.x + r, maxY: s.y + r })
      .map((p) => ({ p, d: Math.hypot(p.x - s.x, p.y - s.y) }))
      .filter(({ p, d }) => d <= r && !out.has(p))
      .sort((a, b) => a.d - b.d || a.p.id.localeCompare(b.p.id));
    if (near[0]) out.set(near[0].p, s);
  }
  return out;
}

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

  const controllers = controllerPoles(poles, signals);
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
      'signal-controller': controllers.has(pole),
    };
    for (const type of TERMINAL_TYPES) {
      if (!has[type]) continue;
      const id = `${pole.id}-${type}`;
      if (type === 'signal-controller') {
        // Added after the other types, without drawing from the stream, so the rest of the city is as before.
        const signal = controllers.get(pole)!;
        out.push({ id, pole, type, model: MODELS[type][fnv1a(signal.id) % 2]!, signalId: signal.id });
        continue;
      }
      const terminal: Terminal = { id, pole, type, model: rng.pick(MODELS[type]) };
      if (type === 'camera' || type === 'traffic-camera') {
        terminal.camera = cameraPose(type, pole, type === 'traffic-camera' ? nearestSignal(pole.x, pole.y) : undefined, poseRng);
      }
      if (type === 'lamp') terminal.ratedW = demoLampRatedW(pole.id);
      out.push(terminal);
    }
  });
  return out;
}
