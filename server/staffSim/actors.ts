/**
 * The simulated staff as users of the twin: one dispatcher, one field inspector and one handler
 * per department, each a real account with a real role, named so nobody takes them for people
 * ("模拟调度员 Simulated dispatcher"). Their passwords are drawn afresh at every start and kept
 * only in memory; an administrator who disables one of them stops that actor.
 */
import { randomBytes } from 'node:crypto';
import type { DepartmentRecord } from '../../domain/twinPackage';
import type { Role } from '../../domain/users';
import type { UserService } from '../auth/UserService';
import type { Storage } from '../storage/Storage';
import type { StaffRole } from './core/decide';

export interface StaffActor {
  username: string;
  displayName: string;
  role: StaffRole;
  departmentId?: string;
}

/** Every simulated account's name starts with this. */
export const STAFF_USERNAME_PREFIX = 'sim-';

export function staffActors(departments: readonly DepartmentRecord[]): StaffActor[] {
  const actors: StaffActor[] = [
    { username: 'sim-dispatcher', displayName: '模拟调度员 Simulated dispatcher', role: 'dispatcher' },
    { username: 'sim-inspector', displayName: '模拟监督员 Simulated inspector', role: 'inspector' },
  ];
  for (const d of departments) {
    const slug = d.id.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').slice(0, 20);
    actors.push({
      username: `sim-handler-${slug}`,
      displayName: `模拟处置员·${d.name['zh-CN']} Simulated handler, ${d.name.en}`,
      role: 'handler',
      departmentId: d.id,
    });
  }
  return actors;
}

/**
 * Creates the accounts that are missing and gives every one a new password; returns the
 * passwords by username. An account that exists with another role is left alone (and its actor
 * then acts with that role, and is refused where the role does not allow).
 */
export async function ensureAccounts(actors: readonly StaffActor[], users: UserService, storage: Storage): Promise<Map<string, string>> {
  const passwords = new Map<string, string>();
  for (const actor of actors) {
    const password = randomBytes(18).toString('base64url');
    const existing = await storage.getUserByUsername(actor.username);
    if (existing) await users.update(existing.id, { password });
    else {
      const role: Role = actor.role;
      await users.create({ username: actor.username, displayName: actor.displayName, password, role, departmentId: actor.departmentId });
    }
    passwords.set(actor.username, password);
  }
  return passwords;
}
