/**
 * Users and login: `app.users` (UserService), demo users seeded into an empty database, and
 * `app.requireUser(roles?)`, the hook every protected route names. It reads
 * `Authorization: Bearer <token>`, loads the (active) user into `request.user`, and refuses with
 * 401 without a valid token and 403 when the user's role is not among `roles`.
 *
 * Routes name it as `preParsing`: it needs only the headers, so a refused caller's body is never
 * read or validated (an anonymous 4 MiB upload costs nothing, and a schema error tells a stranger
 * nothing). It works as a preHandler too.
 */
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type { Role } from '../../domain/users';
import { demoUsers } from './demoUsers';
import { loadSecret } from './secret';
import { AuthError, UserService } from './UserService';
import { Errors } from '../errors';
import type { StoredUser } from '../storage/Storage';

export interface AuthPluginOptions {
  /** Token signing secret; default CITYTWIN_SECRET or `<data dir>/secret`. */
  secret?: Buffer;
  /** scrypt cost (log2 N); tests lower it. */
  passwordCostLog2?: number;
  /** Seed the demo users into an empty user table; default true. */
  seedDemoUsers?: boolean;
}

/** A request hook (preParsing or preHandler) that refuses or sets `request.user`. */
export type RequireUserHook = (request: FastifyRequest) => Promise<void>;

declare module 'fastify' {
  interface FastifyInstance {
    users: UserService;
    /** A hook admitting logged-in, active users, of the given roles when named. */
    requireUser(roles?: readonly Role[]): RequireUserHook;
  }
  interface FastifyRequest {
    /** The logged-in user, set by `requireUser`. */
    user: StoredUser | null;
  }
}

export default fp<AuthPluginOptions>(
  async (app, opts) => {
    let secret: Buffer;
    try {
      secret = opts.secret ?? loadSecret(app.dataDir);
    } catch (err) {
      throw new Errors.BadOption(`auth: ${(err as Error).message}`);
    }
    const users = new UserService(app.storage, secret, new Set(app.twin.departments.map((d) => d.id)), opts.passwordCostLog2);
    app.decorate('users', users);
    app.decorateRequest('user', null);

    if (opts.seedDemoUsers !== false) {
      const seeded = await users.seedIfEmpty(demoUsers(app.twin.departments));
      if (seeded > 0) app.log.warn({ seeded }, 'seeded demo users (docs/cases.md lists them); change their passwords');
    }

    // The live socket learns who watches from a token message, so case events reach only the
    // users who may see those cases (server/cases/plugin.ts names each event's audience).
    app.stream.setAuthenticator(async (token) => {
      const user = await users.userOfToken(token);
      return user ? { userId: user.id, role: user.role, ...(user.departmentId ? { departmentId: user.departmentId } : {}) } : null;
    });

    app.decorate('requireUser', (roles?: readonly Role[]): RequireUserHook => {
      return async (request) => {
        const header = request.headers.authorization;
        const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
        const user = token ? await users.userOfToken(token) : undefined;
        if (!user) throw new AuthError('unauthenticated', token ? 'the login token is invalid or expired; log in again' : 'log in first: send Authorization: Bearer <token>');
        if (roles && !roles.includes(user.role)) throw new AuthError('forbidden', `role ${user.role} may not do this (allowed: ${roles.join(', ')})`);
        request.user = user;
      };
    });
  },
  { name: 'citytwin-auth', fastify: '5.x', dependencies: ['citytwin-storage', 'citytwin-twin', 'citytwin-stream'] },
);
