/**
 * Builds the twin's CameraVisibility: its camera terminals with their poses (the registry's
 * `camera` record, on the pole's ground) and its buildings' footprints extruded into prisms, read
 * from the package's interior plans (every building's footprint, height and base). A package
 * without plans gets frustum tests only, and says so in each answer.
 */
import { EnuFrame } from '../../kernel/geodesy';
import { InteriorPlans } from '../../tiles/pipeline/interiors/onDemand';
import type { TwinIndex } from '../twin/TwinIndex';
import { buildingObstacles } from './buildingObstacles';
import { CameraVisibility, type PlacedCamera } from './CameraVisibility';

/** The camera terminals of a twin with a pose, on their poles' ground. */
export function camerasOf(twin: TwinIndex): PlacedCamera[] {
  const cameras: PlacedCamera[] = [];
  for (const t of twin.terminals) {
    const pose = t.camera?.pose;
    const pole = twin.poleById.get(t.poleId);
    if (pose && pole) cameras.push({ id: t.id, poleId: t.poleId, pose, groundHeight: pole.groundHeight });
  }
  return cameras;
}

/** Ground height near (lon, lat): the nearest pole's base, else the twin's centre. */
export function groundNear(twin: TwinIndex, lon: number, lat: number): number {
  let best = Infinity;
  let ground = twin.manifest.center.height;
  const k = Math.cos((lat * Math.PI) / 180);
  for (const pole of twin.poles) {
    const d = ((pole.lon - lon) * k) ** 2 + (pole.lat - lat) ** 2;
    if (d < best) {
      best = d;
      ground = pole.groundHeight;
    }
  }
  return ground;
}

export async function openVisibility(twin: TwinIndex): Promise<CameraVisibility> {
  const { center } = twin.manifest;
  const frame = new EnuFrame(center.lon, center.lat, center.height);
  const plans = twin.manifest.files.interiorPlans ? await InteriorPlans.open(twin.dir) : undefined;
  const prisms = plans ? buildingObstacles(frame, plans.inputs()) : undefined;
  return new CameraVisibility(camerasOf(twin), prisms, frame);
}
