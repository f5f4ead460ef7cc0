/**
 * People who log in to the operation centre, and their roles.
 *
 * A handler belongs to one department and sees and acts only on that department's cases; the
 * other roles see every case. What each role may do to a case is in domain/cases/actions.ts.
 */

export const ROLES = ['leader', 'dispatcher', 'handler', 'inspector', 'planner', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, { 'zh-CN': string; en: string }> = {
  leader: { 'zh-CN': '领导', en: 'Leader' },
  dispatcher: { 'zh-CN': '派遣员', en: 'Dispatcher' },
  handler: { 'zh-CN': '专业部门处置人员', en: 'Department handler' },
  inspector: { 'zh-CN': '监督员', en: 'Field inspector' },
  planner: { 'zh-CN': '规划分析员', en: 'Planner' },
  admin: { 'zh-CN': '系统管理员', en: 'Administrator' },
};

/** A user as the API shows it (never with the password hash). */
export interface User {
  id: string;
  /** Login name: 3–32 of a–z, 0–9, `.`, `_`, `-`. */
  username: string;
  displayName: string;
  role: Role;
  /** Required for handlers (a department id of the twin), absent for the other roles. */
  departmentId?: string;
  active: boolean;
  /** ms since epoch. */
  createdAt: number;
}

export const USERNAME_PATTERN = '^[a-z0-9._-]{3,32}$';
export const PASSWORD_MIN_LENGTH = 8;

/** Roles that read the evaluation KPIs (stage 7), over the API and on the live stream. */
export const KPI_ROLES: readonly Role[] = ['leader', 'dispatcher', 'planner', 'admin'];

/** Roles that run, cancel and delete simulation scenarios; anyone may look at the results. */
export const SCENARIO_ROLES: readonly Role[] = ['planner', 'leader', 'dispatcher', 'admin'];
