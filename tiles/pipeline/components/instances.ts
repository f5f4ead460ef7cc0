/**
 * What L4 draws, from the city's layers: every component (model from its class: the catalogue's
 * kind, else words in its name), every smart pole as a street lamp scaled to its height with the
 * arm turned towards its road, every signalised intersection as a traffic signal, and camera
 * terminals mounted on their poles. Pure: positions stay geodetic; the tiler projects them.
 */
import type { ComponentProps, PoleProps, RoadProps, SignalProps, TerminalProps } from '../../../domain/citySource';
import { DEFAULT_COMPONENT_CLASSES, type ComponentClass, type ComponentKind } from '../../../domain/components';
import type { SourceFeature } from '../../source/layerValidators';
import type { LineString, Point } from '../geojson';
import { metresPerDegree, type PlacedPoint } from '../ground';
import { fnv1a } from '../../../kernel/hash';
import type { ComponentInstance } from './componentGlb';
import type { ComponentModel } from './models';

/** Height of the lamp model at scale 1 (models.ts), which pole heights scale. */
const LAMP_MODEL_M = 10;
/** Cameras hang at this share of their pole's height. */
const CAMERA_MOUNT_SHARE = 0.6;

const KIND_MODELS: Record<ComponentKind, ComponentModel> = {
  'manhole-cover': 'manhole-cover',
  hydrant: 'hydrant',
  'street-lamp': 'street-lamp',
  'traffic-signal': 'traffic-signal',
};

/** Words in class names (local catalogues) that name a model the standard kinds do not cover. */
const NAME_MODELS: Array<[RegExp, ComponentModel]> = [
  [/垃圾|果皮箱|waste|litter|bin\b/i, 'waste-bin'],
  [/监控|摄像|camera|cctv/i, 'camera'],
  [/井盖|cover/i, 'manhole-cover'],
  [/消防栓|hydrant/i, 'hydrant'],
  [/信号灯|signal/i, 'traffic-signal'],
  [/路灯|lamp/i, 'street-lamp'],
];

/** The model of a class code: its kind, else a word in its name, else the generic bollard. */
export function modelForClass(classCode: string, classes: readonly ComponentClass[]): ComponentModel {
  const cls = classes.find((c) => c.code === classCode) ?? DEFAULT_COMPONENT_CLASSES.find((c) => c.code === classCode);
  if (!cls) return 'generic';
  if (cls.kind in KIND_MODELS) return KIND_MODELS[cls.kind];
  for (const [pattern, model] of NAME_MODELS) if (pattern.test(cls.zh) || pattern.test(cls.en)) return model;
  return 'generic';
}

/** Yaw (degrees, counter-clockwise from east) from a point to the nearest point of a line; undefined when degenerate. */
export function yawTowards(lon: number, lat: number, line: readonly number[][]): number | undefined {
  const [mx, my] = metresPerDegree(lat);
  let best = Infinity;
  let yaw: number | undefined;
  for (let i = 0; i + 1 < line.length; i++) {
    const ax = (line[i]![0]! - lon) * mx;
    const ay = (line[i]![1]! - lat) * my;
    const bx = (line[i + 1]![0]! - lon) * mx;
    const by = (line[i + 1]![1]! - lat) * my;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2)) : 0;
    const px = ax + t * dx;
    const py = ay + t * dy;
    const d = Math.hypot(px, py);
    if (d < best && d > 1e-6) {
      best = d;
      yaw = (Math.atan2(py, px) * 180) / Math.PI;
    }
  }
  return yaw === undefined ? undefined : Math.round(yaw * 10) / 10;
}

/** A stable yaw from an id, for things without a road to face (degrees). */
function hashedYaw(id: string): number {
  return fnv1a(id) % 360;
}

export interface InstanceSources {
  poles: ReadonlyArray<PlacedPoint<PoleProps>>;
  components: ReadonlyArray<PlacedPoint<ComponentProps>>;
  signals: ReadonlyArray<PlacedPoint<SignalProps>>;
  terminals: ReadonlyArray<SourceFeature<Point, TerminalProps>>;
  roads: ReadonlyArray<SourceFeature<LineString, RoadProps>>;
  componentClasses: readonly ComponentClass[];
}

export function componentInstances(src: InstanceSources): ComponentInstance[] {
  const out: ComponentInstance[] = [];
  const roads = new Map(src.roads.map((r) => [r.properties.id, r.geometry.coordinates]));
  const classOf = (code: string) => code.slice(6, 10);
  for (const c of src.components) {
    const [lon, lat] = c.geometry.coordinates as [number, number];
    const p = c.properties;
    const road = p.roadId ? roads.get(p.roadId) : undefined;
    const yawDeg = (road && yawTowards(lon, lat, road)) ?? hashedYaw(p.code);
    out.push({ id: p.code, code: p.code, classCode: p.classCode, model: modelForClass(p.classCode, src.componentClasses), groundHeight: c.groundHeight, lon, lat, mountM: 0, yawDeg, scaleY: 1 });
  }
  const poles = new Map<string, ComponentInstance>();
  for (const pole of src.poles) {
    const [lon, lat] = pole.geometry.coordinates as [number, number];
    const p = pole.properties;
    const road = roads.get(p.roadId);
    const yawDeg = (road && yawTowards(lon, lat, road)) ?? hashedYaw(p.id);
    const inst: ComponentInstance = { id: p.id, code: p.code, classCode: classOf(p.code), model: 'street-lamp', groundHeight: pole.groundHeight, lon, lat, mountM: 0, yawDeg, scaleY: p.heightM / LAMP_MODEL_M };
    poles.set(p.id, inst);
    out.push(inst);
  }
  for (const s of src.signals) {
    const [lon, lat] = s.geometry.coordinates as [number, number];
    const p = s.properties;
    out.push({ id: p.id, code: p.code, classCode: classOf(p.code), model: 'traffic-signal', groundHeight: s.groundHeight, lon, lat, mountM: 0, yawDeg: hashedYaw(p.id), scaleY: 1 });
  }
  for (const t of src.terminals) {
    const p = t.properties;
    if (p.type !== 'camera' && p.type !== 'traffic-camera') continue;
    const pole = poles.get(p.poleId);
    if (!pole) continue;
    // Cameras look away from the road side the lamp arm takes, traffic cameras along it.
    const yawDeg = pole.yawDeg + (p.type === 'camera' ? 180 : 90);
    out.push({ ...pole, id: p.id, code: '', classCode: '', model: 'camera', mountM: CAMERA_MOUNT_SHARE * pole.scaleY * LAMP_MODEL_M, yawDeg, scaleY: 1 });
  }
  return out;
}
