/**
 * Users: login, creation and changes by an admin, and the demo seed. Checks every field and names
 * the one that is wrong; the root error handler (server/errors.ts) turns AuthError into HTTP answers.
 */
import { randomUUID } from 'node:crypto';
import type { CreateUserRequest, UpdateUserRequest } from '../../domain/cases/api';
import { DomainError } from '../../domain/DomainError';
import { PASSWORD_MIN_LENGTH, ROLES, USERNAME_PATTERN, type Role, type User } from '../../domain/users';
import type { Storage, StoredUser } from '../storage/Storage';
import { UniqueViolation } from '../storage/Storage';
import type { DemoUser } from './demoUsers';
import { MIN_COST_LOG2, hashPassword, verifyPassword } from './passwords';
import { issueToken } from './tokens';

export class AuthError extends DomainError {}

const USERNAME_RE = new RegExp(USERNAME_PATTERN);
/** A fixed hash to verify against for unknown names, so timing does not tell which names exist. */
let decoyHash: Promise<string> | undefined;

export function publicUser(u: StoredUser): User {
  const { passwordHash: _hash, ...user } = u;
  return user;
}

export class UserService {
  constructor(
    private readonly storage: Storage,
    private readonly secret: Buffer,
    private readonly departmentIds: ReadonlySet<string>,
    private readonly costLog2?: number,
  ) {}

  async login(username: string, password: string, now = Date.now()): Promise<{ token: string; expiresAt: number; user: User }> {
    const stored = await this.storage.getUserByUsername(username);
    const hash = stored?.passwordHash ?? (await (decoyHash ??= hashPassword('decoy password', this.costLog2)));
    const ok = await verifyPassword(password, hash);
    if (!stored || !ok || !stored.active) throw new AuthError('unauthenticated', 'wrong username or password, or the account is disabled');
    return { ...issueToken(stored.id, this.secret, now), user: publicUser(stored) };
  }

  async create(req: CreateUserRequest, now = Date.now(), costLog2 = this.costLog2): Promise<User> {
    this.checkUsername(req.username);
    this.checkPassword(req.password);
    const departmentId = this.checkDepartment(req.role, req.departmentId);
    const user: StoredUser = {
      id: randomUUID(),
      username: req.username,
      displayName: req.displayName.trim() || req.username,
      role: req.role,
      active: true,
      createdAt: now,
      passwordHash: await hashPassword(req.password, costLog2),
    };
    if (departmentId !== undefined) user.departmentId = departmentId;
    try {
      await this.storage.insertUser(user);
    } catch (err) {
      if (err instanceof UniqueViolation) throw new AuthError('conflict', `username "${req.username}" is taken`, ['username']);
      throw err;
    }
    return publicUser(user);
  }

  async update(id: string, req: UpdateUserRequest): Promise<User> {
    const stored = await this.storage.getUser(id);
    if (!stored) throw new AuthError('not-found', `user "${id}" not found`);
    const role = req.role ?? stored.role;
    const wantedDepartment = req.departmentId === null ? undefined : (req.departmentId ?? stored.departmentId);
    const next: StoredUser = { ...stored, role };
    delete next.departmentId;
    const departmentId = this.checkDepartment(role, role === 'handler' ? wantedDepartment : req.departmentId ?? undefined);
    if (departmentId !== undefined) next.departmentId = departmentId;
    if (req.displayName !== undefined) next.displayName = req.displayName.trim() || stored.username;
    if (req.active !== undefined) next.active = req.active;
    if (req.password !== undefined) {
      this.checkPassword(req.password);
      next.passwordHash = await hashPassword(req.password, this.costLog2);
    }
    await this.storage.updateUser(next);
    return publicUser(next);
  }

  async list(): Promise<User[]> {
    return (await this.storage.listUsers()).map(publicUser);
  }

  /** The active user a token names, or undefined. */
  async active(id: string): Promise<StoredUser | undefined> {
    const user = await this.storage.getUser(id);
    return user?.active ? user : undefined;
  }

  /**
   * Seeds the demo users when no user exists yet; returns how many were created. Their passwords
   * are published (docs/cases.md), so an expensive hash would protect nothing and only slow every
   * first start: they get the minimum cost. Passwords set later use the full cost.
   */
  async seedIfEmpty(users: readonly DemoUser[], now = Date.now()): Promise<number> {
    if ((await this.storage.countUsers()) > 0) return 0;
    const created = await Promise.all(
      users.map((u) =>
        this.create({ username: u.username, displayName: u.displayName, password: u.password, role: u.role, departmentId: u.departmentId }, now, MIN_COST_LOG2).catch(
          (err: unknown) => {
            // Another server process seeding the same database at once took the name first.
            if (err instanceof AuthError && err.reason === 'conflict') return undefined;
            throw err;
          },
        ),
      ),
    );
    return created.filter(Boolean).length;
  }

  private checkUsername(username: string): void {
    if (!USERNAME_RE.test(username)) throw new AuthError('invalid', 'username must be 3–32 of a–z, 0–9, ".", "_", "-"', ['username']);
  }

  private checkPassword(password: string): void {
    if (password.length < PASSWORD_MIN_LENGTH || password.length > 256) {
      throw new AuthError('invalid', `password must be ${PASSWORD_MIN_LENGTH}–256 characters`, ['password']);
    }
  }

  /** Handlers need a department of the twin; other roles have none. */
  private checkDepartment(role: Role, departmentId: string | undefined): string | undefined {
    if (!ROLES.includes(role)) throw new AuthError('invalid', `role must be one of ${ROLES.join(', ')}`, ['role']);
    if (role !== 'handler') {
      if (departmentId !== undefined) throw new AuthError('invalid', `departmentId is only for handlers, not ${role}`, ['departmentId']);
      return undefined;
    }
    if (departmentId === undefined) throw new AuthError('invalid', 'departmentId is required for a handler', ['departmentId']);
    if (!this.departmentIds.has(departmentId)) throw new AuthError('invalid', `departmentId "${departmentId}" is not a department of the twin`, ['departmentId']);
    return departmentId;
  }
}
