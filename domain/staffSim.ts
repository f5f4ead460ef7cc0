/**
 * What `GET /api/staff-sim` answers: whether simulated operations staff work the demo's cases
 * (server/staffSim/, docs/staff-sim.md) and who they are, so the client can label them.
 */
import type { Role } from './users';

export interface StaffSimActor {
  username: string;
  /** Says "simulated" in both languages, e.g. "模拟调度员 Simulated dispatcher". */
  displayName: string;
  role: Role;
  departmentId?: string;
}

export interface StaffSimStatus {
  enabled: boolean;
  /** Simulated seconds per wall-clock second (1 when off). */
  clockSpeedup: number;
  /** The simulated clock now, ms since epoch. */
  simNow: number;
  actors: StaffSimActor[];
  /** Actions taken since start, by action name. */
  actions: Record<string, number>;
}
