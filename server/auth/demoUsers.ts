/**
 * Demo users seeded on the first start (an empty user table): one per role, and one handler per
 * department of the twin. docs/cases.md lists them; operators change the passwords.
 */
import type { Role } from '../../domain/users';
import type { DepartmentRecord } from '../../domain/twinPackage';

export interface DemoUser {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  departmentId?: string;
}

const SINGLE_ROLES: Array<[Role, string]> = [
  ['leader', 'Demo leader 领导'],
  ['dispatcher', 'Demo dispatcher 派遣员'],
  ['inspector', 'Demo inspector 监督员'],
  ['planner', 'Demo planner 规划分析员'],
  ['admin', 'Demo administrator 管理员'],
];

export const HANDLER_PASSWORD = 'handler-demo';

export function demoUsers(departments: readonly DepartmentRecord[]): DemoUser[] {
  const users: DemoUser[] = SINGLE_ROLES.map(([role, displayName]) => ({ username: role, displayName, password: `${role}-demo`, role }));
  for (const d of departments) {
    // Usernames allow a–z 0–9 . _ -: department ids of a hand-made twin may need folding.
    const slug = d.id.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').slice(0, 24);
    users.push({ username: `handler-${slug}`, displayName: `${d.name['zh-CN']} ${d.name.en}`, password: HANDLER_PASSWORD, role: 'handler', departmentId: d.id });
  }
  return users;
}
