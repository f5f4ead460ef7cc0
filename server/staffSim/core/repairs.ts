/**
 * What a handled case fixes in the simulated world: the terminals its alarms came from, a dark
 * run of lamps for a lamps-out case, the camera sightings for a video-AI case. Pure: read from the
 * case and its reports' alarm keys (`<alarm id>@<raisedAt>`, server/cases/alarmIntake.ts), whose
 * alarm ids are `<terminal>:<kind>`, `<camera>:video-ai:<category>` or `road:<road>:lamps-out`
 * (server/devices/state/LiveStateCore.ts).
 */
import type { Case, CaseReport } from '../../../domain/cases/case';
import { parseAlarmKey } from '../../cases/alarmIntake';

export interface RepairTargets {
  terminalIds: string[];
  /** A lamps-out case: the dark lamps next to its terminals along the road. */
  circuits: boolean;
  video: Array<{ cameraId: string; category: string }>;
}

export function repairTargets(c: Pick<Case, 'terminalId'>, reports: readonly Pick<CaseReport, 'alarmId'>[]): RepairTargets {
  const terminals = new Set<string>();
  let circuits = false;
  const video = new Map<string, { cameraId: string; category: string }>();
  for (const r of reports) {
    const parsed = r.alarmId === undefined ? undefined : parseAlarmKey(r.alarmId);
    if (!parsed) continue;
    const [first, second, third] = parsed.alarmId.split(':');
    if (first === 'road' && third === 'lamps-out') circuits = true;
    else if (second === 'video-ai' && first !== undefined && third !== undefined) video.set(`${first}|${third}`, { cameraId: first, category: third });
    else if (first !== undefined) terminals.add(first);
  }
  // The case's own terminal (a lamps-out case's middle lamp, a hand-made report's), unless it is a
  // camera whose picture showed a street problem.
  if (c.terminalId !== undefined && video.size === 0) terminals.add(c.terminalId);
  return { terminalIds: [...terminals], circuits, video: [...video.values()] };
}
