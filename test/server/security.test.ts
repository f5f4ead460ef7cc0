/**
 * Every forbidden action, tried and refused (docs/security.md). The routes come from the app
 * itself (the security plugin records each one as it is registered), so a new route that is
 * neither in the public list nor in the role table fails here until someone decides its policy.
 * For each protected route: anonymous, forged, expired and disabled-user tokens get 401, each
 * role not allowed gets 403, and after all of it the cases, users and scenarios read back
 * unchanged. Then the limits (413, 429), the headers on API, static and error answers, a handler
 * reaching into another department, and the live socket, which keeps cases and KPIs from
 * anonymous viewers and cuts off a token-guessing one.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_ISSUER_ROLES } from '../../domain/commands';
import type { EventMessage, LiveMessage } from '../../domain/live';
import { KPI_ROLES, ROLES, SCENARIO_ROLES, type Role } from '../../domain/users';
import { issueToken } from '../../server/auth/tokens';
import securityPlugin, { inlineScriptHashes, trustedProxies } from '../../server/http/security';
import { DISPATCH_ROLES, PLAN_ROLES } from '../../server/routes/emergency/index';
import { withoutCredentials } from '../../server/routes/health/index';
import { startCaseApp, type CaseApp } from '../cases/caseApp';
import { LiveClient, waitFor } from './helpers';

const SECRET = randomBytes(32);
const LOGIN_MAX = 3;
const API_MAX = 600;

/** Reads anyone may make, and the few writes the public may make (login, citizen reports). */
const PUBLIC = new Set([
  'GET /api/health',
  'GET /api/poles',
  'GET /api/poles/:id',
  'GET /api/terminals',
  'GET /api/terminals/:id',
  'GET /api/components',
  'GET /api/components/:code',
  // Planner checks over layers/pipes.json, which /twin/* serves anyone (docs/pipes.md).
  'GET /api/pipes/clearances',
  'GET /api/pipes/under-road/:roadId',
  // The storm outfalls and their catchments' sizes, from the same layers (docs/drainage.md).
  'GET /api/pipes/outfalls',
  'GET /api/alarms',
  // Device history reads what the live state shows anyone, over time (docs/history.md).
  'GET /api/terminals/:id/history',
  // A lamp's energy is integrated from that same public history (docs/energy.md).
  'GET /api/terminals/:id/energy',
  // Whether simulated staff work the cases, and who they are: the top bar's badge for everyone (docs/staff-sim.md).
  'GET /api/staff-sim',
  'GET /api/history/alarms',
  'GET /api/history/snapshot',
  'GET /api/history/devices',
  'GET /api/scenarios',
  'GET /api/scenarios/:id',
  'GET /api/scenarios/:id/files/:name',
  'GET /api/openapi.json',
  // Which cameras see a point: poses and footprints the public twin package already holds, no stream.
  'GET /api/cameras/visible',
  // No bearer header: the short-lived stream token in the path, issued to a logged-in user by
  // POST /api/cameras/:id/stream, is checked on every request (test/video/video.test.ts).
  'GET /api/cameras/:id/live/:token/:file',
  'POST /api/auth/login',
  'POST /api/reports',
  'GET /api/reports/:trackingCode',
  'POST /api/reports/:trackingCode/rating',
  'GET /ws/live',
  'GET /twin/*',
  'GET /twin/interiors/*',
  'GET /cesium/*',
  // The client bundle, when one is served.
  'GET /*',
]);
/** The citizen's writes: rate-limited per address, and the only anonymous writes there are. */
const PUBLIC_WRITES = new Set(['POST /api/auth/login', 'POST /api/reports', 'POST /api/reports/:trackingCode/rating']);

/** Who may call each protected route (docs/security.md has the same table). */
const PROTECTED: Record<string, readonly Role[]> = {
  'GET /api/auth/me': ROLES,
  'GET /api/users': ['admin'],
  'POST /api/users': ['admin'],
  'PATCH /api/users/:id': ['admin'],
  'GET /api/cases': ROLES,
  'GET /api/cases/meta': ROLES,
  'GET /api/cases/:id': ROLES,
  'POST /api/cases': ['inspector', 'dispatcher'],
  // Every role reaches the route; which action each may take is refused per action (below).
  'POST /api/cases/:id/actions': ROLES,
  'GET /api/cases/:id/photos/:photoId': ROLES,
  'GET /api/kpis': KPI_ROLES,
  'GET /api/kpis/series': KPI_ROLES,
  'GET /api/energy/lamps': KPI_ROLES,
  'GET /api/energy/days': KPI_ROLES,
  'POST /api/scenarios': SCENARIO_ROLES,
  'POST /api/scenarios/:id/cancel': SCENARIO_ROLES,
  'DELETE /api/scenarios/:id': SCENARIO_ROLES,
  // Commands: who may command which terminal type is checked per type (test/commands/commands.test.ts).
  'POST /api/terminals/:id/commands': COMMAND_ISSUER_ROLES,
  'POST /api/commands': COMMAND_ISSUER_ROLES,
  'POST /api/commands/signal-plans': COMMAND_ISSUER_ROLES,
  'GET /api/commands': ROLES,
  'GET /api/commands/:id': ROLES,
  'GET /api/lamp-schedules': ROLES,
  'POST /api/lamp-schedules': COMMAND_ISSUER_ROLES,
  'PUT /api/lamp-schedules/:id': COMMAND_ISSUER_ROLES,
  'DELETE /api/lamp-schedules/:id': COMMAND_ISSUER_ROLES,
  'GET /api/cameras': ROLES,
  'POST /api/cameras/:id/stream': ROLES,
  // Emergency command (docs/emergency.md): everyone reads and asks for a proposal; dispatchers and admins send units; admins edit plans.
  'GET /api/emergency/resources': ROLES,
  'GET /api/emergency/plans': ROLES,
  'PUT /api/emergency/plans': PLAN_ROLES,
  'DELETE /api/emergency/plans/:id': PLAN_ROLES,
  'POST /api/emergency/proposals': ROLES,
  'POST /api/emergency/dispatches': DISPATCH_ROLES,
  'GET /api/emergency/responses': ROLES,
  'GET /api/emergency/responses/:id': ROLES,
};

/** The user each role logs in as (demo users of the tiny twin). */
const USER_OF: Record<Role, string> = {
  leader: 'leader',
  dispatcher: 'dispatcher',
  handler: 'handler-d-light',
  inspector: 'inspector',
  planner: 'planner',
  admin: 'admin',
};

let t: CaseApp;
let httpUrl: string;
/** A case reported by the inspector and dispatched to D-WATER. */
let waterCase: string;
let userIds: Record<string, string>;
const tokens: Record<string, string> = {};

/** Routes as `METHOD /url`, HEAD folded into GET and a trailing slash dropped. */
function routeKeys(): string[] {
  const keys = t.app.security.routes().map((r) => `${r.method === 'HEAD' ? 'GET' : r.method} ${r.url.length > 1 ? r.url.replace(/\/$/, '') : r.url}`);
  return [...new Set(keys)];
}

/** A concrete request for a route pattern, with a body valid for it: a refusal is then about who asks, never about the input. */
function requestFor(key: string): { method: InjectOptions['method']; url: string; payload?: object } {
  const [method, pattern] = key.split(' ') as [string, string];
  const url = pattern
    .replace('/api/cases/:id', `/api/cases/${waterCase}`)
    .replace(':photoId', `${'0'.repeat(24)}.jpg`)
    .replace('/api/users/:id', `/api/users/${userIds.leader}`)
    .replace('/api/scenarios/:id', '/api/scenarios/sc-aaaa-bbbb');
  const bodies: Record<string, object> = {
    'POST /api/users': { username: 'intruder', displayName: 'Intruder', password: 'long-enough-1', role: 'admin' },
    'PATCH /api/users/:id': { role: 'admin' },
    'POST /api/cases': { categoryId: 'dirty-road', description: 'forged', lon: 113.621, lat: 22.78 },
    'POST /api/cases/:id/actions': { action: 'cancel', note: 'forged', reason: 'invalid' },
    'POST /api/scenarios': { kind: 'flood', name: 'forged' },
  };
  return { method: method as InjectOptions['method'], url, ...(bodies[key] ? { payload: bodies[key] } : {}) };
}

/** Everything a refused request could have changed, as the admin reads it. */
async function state(): Promise<string> {
  const admin = tokens.admin!;
  const cases = await t.call(admin, { method: 'GET', url: '/api/cases?limit=500' });
  const detail = await t.call(admin, { method: 'GET', url: `/api/cases/${waterCase}` });
  const users = await t.call(admin, { method: 'GET', url: '/api/users' });
  const scenarios = await t.call(undefined, { method: 'GET', url: '/api/scenarios' });
  return JSON.stringify([cases.body, detail.body, users.body, scenarios.body]);
}

async function act(user: string, id: string, body: object): Promise<{ status: number; body: any }> {
  return t.call(tokens[user], { method: 'POST', url: `/api/cases/${id}/actions`, payload: body });
}

beforeAll(async () => {
  t = await startCaseApp({
    auth: { passwordCostLog2: 10, secret: SECRET },
    cases: { kpiIntervalMs: 50 },
    security: { rateLimit: { max: API_MAX, timeWindowMs: 60_000 }, loginRateLimit: { max: LOGIN_MAX, timeWindowMs: 60_000 }, env: {} },
  });
  // Tokens are issued directly: the login route's own limit is under test below.
  const users = await t.app.users.list();
  userIds = Object.fromEntries(users.map((u) => [u.username, u.id]));
  const now = Date.now();
  for (const user of [...Object.values(USER_OF), 'handler-d-water']) tokens[user] = issueToken(userIds[user]!, SECRET, now).token;
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  httpUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;

  const created = await t.call(tokens.inspector, { method: 'POST', url: '/api/cases', payload: { categoryId: 'dirty-road', description: 'mud on the road', lon: 113.621, lat: 22.78 } });
  expect(created.status).toBe(201);
  waterCase = created.body.case.id;
  expect((await act('dispatcher', waterCase, { action: 'register' })).status).toBe(200);
  expect((await act('dispatcher', waterCase, { action: 'dispatch', departmentId: 'D-WATER' })).status).toBe(200);
});

afterAll(async () => {
  await t?.close();
});

describe('the route table', () => {
  it('has a policy for every registered route, and every policy names a registered route', () => {
    const keys = routeKeys();
    const unknown = keys.filter((k) => !PUBLIC.has(k) && PROTECTED[k] === undefined);
    expect(unknown, 'routes with no policy: add them to PUBLIC or PROTECTED and docs/security.md').toEqual([]);
    const stale = [...Object.keys(PROTECTED)].filter((k) => !keys.includes(k));
    expect(stale, 'policies for routes that no longer exist').toEqual([]);
    // The public writes are the citizen's and the login: nothing else changes state without a role.
    const writes = keys.filter((k) => !k.startsWith('GET ') && PUBLIC.has(k));
    expect(writes.sort()).toEqual([...PUBLIC_WRITES].sort());
  });
});

describe('public reads', () => {
  it('never show the broker login that MQTT_URL may carry', () => {
    expect(withoutCredentials('mqtts://citytwin:s3cret@broker.local:8883')).toBe('mqtts://broker.local:8883');
    expect(withoutCredentials('mqtt://127.0.0.1:1883')).toBe('mqtt://127.0.0.1:1883');
  });
});

describe('protected routes', () => {
  it('refuse anonymous, forged, expired and disabled-user tokens with 401 and other roles with 403, changing nothing', async () => {
    // A user the admin disabled: their unexpired token must stop working at once.
    const created = await t.call(tokens.admin, { method: 'POST', url: '/api/users', payload: { username: 'gone', displayName: 'Gone', password: 'long-enough-1', role: 'dispatcher' } });
    expect(created.status).toBe(201);
    const disabledToken = issueToken(created.body.id, SECRET, Date.now()).token;
    expect((await t.call(tokens.admin, { method: 'PATCH', url: `/api/users/${created.body.id}`, payload: { active: false } })).status).toBe(200);

    const before = await state();
    const [payload] = tokens.admin!.split('.');
    const bad: Record<string, string | undefined> = {
      anonymous: undefined,
      'other secret': issueToken(userIds.admin!, randomBytes(32), Date.now()).token,
      expired: issueToken(userIds.admin!, SECRET, Date.now() - 13 * 3_600_000).token,
      'forged payload': `${Buffer.from(JSON.stringify({ sub: userIds.admin, exp: 9e15 })).toString('base64url')}.${tokens.admin!.split('.')[1]}`,
      'no signature': `${payload}.`,
      disabled: disabledToken,
    };
    let refusals = 0;
    for (const [key, allowed] of Object.entries(PROTECTED)) {
      const request = requestFor(key);
      for (const [what, token] of Object.entries(bad)) {
        const res = await t.call(token, request);
        expect(res.status, `${key} with ${what}`).toBe(401);
        expect(res.body.code, `${key} with ${what}`).toBe('CT_UNAUTHORIZED');
        refusals++;
      }
      for (const role of ROLES.filter((r) => !allowed.includes(r))) {
        const res = await t.call(tokens[USER_OF[role]], request);
        expect(res.status, `${key} as ${role}`).toBe(403);
        expect(res.body).toMatchObject({ code: 'CT_FORBIDDEN', message: `role ${role} may not do this (allowed: ${allowed.join(', ')})` });
        refusals++;
      }
    }
    expect(refusals).toBeGreaterThan(100);
    expect(await state()).toBe(before);
  });

  it('let the allowed roles through (the table above is not refusing everyone)', async () => {
    for (const [key, allowed] of Object.entries(PROTECTED)) {
      const { method, url } = requestFor(key);
      for (const role of allowed) {
        // A body that fails validation: past the role check, nothing changes.
        const res = await t.call(tokens[USER_OF[role]], { method, url, ...(method === 'GET' || method === 'DELETE' ? {} : { payload: { nothing: 1 } }) });
        expect([401, 403], `${key} as ${role}: ${JSON.stringify(res.body)}`).not.toContain(res.status);
      }
    }
  });

  it('never read the body of a caller they refuse', async () => {
    // Anonymous and over the route's 4 MiB: refused for who it is, before a byte is parsed.
    const huge = 'x'.repeat(5 * 1024 * 1024);
    const res = await t.call(undefined, { method: 'POST', url: '/api/cases', payload: { categoryId: 'dirty-road', description: huge } });
    expect(res.status).toBe(401);
    const wrongRole = await t.call(tokens.planner, { method: 'POST', url: '/api/cases', payload: { nonsense: true } });
    expect(wrongRole.status).toBe(403);
  });
});

describe('cases across departments and roles', () => {
  it('keep a handler out of another department\'s case, and roles out of actions not theirs, changing nothing', async () => {
    const before = await state();
    const light = 'handler-d-light';
    expect((await t.call(tokens[light], { method: 'GET', url: `/api/cases/${waterCase}` })).status).toBe(404);
    const list = await t.call(tokens[light], { method: 'GET', url: '/api/cases?limit=500' });
    expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(waterCase);
    for (const body of [{ action: 'accept' }, { action: 'return', note: 'not ours' }, { action: 'comment', note: 'peek' }]) {
      expect((await act(light, waterCase, body)).status, `handler-d-light ${body.action}`).toBe(404);
    }
    // Right department, wrong role for the step: an inspector may not accept, a planner may not comment.
    expect((await act('inspector', waterCase, { action: 'accept' })).status).toBe(403);
    expect((await act('planner', waterCase, { action: 'comment', note: 'hi' })).status).toBe(403);
    expect((await act('leader', waterCase, { action: 'dispatch', departmentId: 'D-LIGHT' })).status).toBe(403);
    expect(await state()).toBe(before);
    // The case's own department may.
    expect((await act('handler-d-water', waterCase, { action: 'accept' })).status).toBe(200);
  });
});

describe('limits', () => {
  it('answer an oversized body with 413 naming the limit', async () => {
    const login = await t.call(undefined, { method: 'POST', url: '/api/auth/login', payload: { username: 'x', password: 'y'.repeat(1024 * 1024) } });
    expect(login.status).toBe(413);
    expect(login.body).toEqual({ statusCode: 413, code: 'CT_TOO_LARGE', error: 'Payload Too Large', message: 'body is larger than the 1048576 bytes POST /api/auth/login accepts' });
    // Photo uploads keep their larger limit: 2 MiB passes the size check (and fails as a photo).
    const photo = await t.call(tokens.inspector, { method: 'POST', url: '/api/cases', payload: { categoryId: 'dirty-road', description: 'big', lon: 113.621, lat: 22.78, photo: 'x'.repeat(2 * 1024 * 1024) } });
    expect(photo.status).toBe(400);
    const huge = await t.call(tokens.inspector, { method: 'POST', url: '/api/cases', payload: { categoryId: 'dirty-road', description: 'big', photo: 'x'.repeat(5 * 1024 * 1024) } });
    expect(huge).toMatchObject({ status: 413, body: { code: 'CT_TOO_LARGE', message: 'body is larger than the 4194304 bytes POST /api/cases accepts' } });
  });

  it('stop password guessing from one address with 429, other addresses unaffected', async () => {
    const guess = (password: string, remoteAddress = '10.0.0.7') =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password }, remoteAddress });
    for (let i = 0; i < LOGIN_MAX; i++) expect((await guess(`guess-${i}`)).statusCode).toBe(401);
    const limited = await guess('admin-demo');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'CT_RATE_LIMITED', message: expect.stringMatching(/^too many requests: POST \/api\/auth\/login allows 3 per minute from one address; retry in /) });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await guess('admin-demo', '10.0.0.8')).statusCode).toBe(200);
  });

  it('limit citizen reports per address, counted before the body is even checked', async () => {
    const report = () => t.app.inject({ method: 'POST', url: '/api/reports', payload: { nothing: true }, remoteAddress: '10.0.0.11' });
    for (let i = 0; i < 10; i++) expect((await report()).statusCode).toBe(400);
    const limited = await report();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().message).toMatch(/^too many requests: POST \/api\/reports allows 10 per minute from one address; retry in /);
  });

  it('limit each address on /api/* and nowhere else', async () => {
    const from = '10.0.0.9';
    for (let i = 0; i < API_MAX; i++) {
      const res = await t.app.inject({ method: 'GET', url: '/api/alarms', remoteAddress: from });
      if (res.statusCode !== 200) throw new Error(`request ${i + 1} of ${API_MAX} answered ${res.statusCode}`);
    }
    const limited = await t.app.inject({ method: 'GET', url: '/api/alarms', remoteAddress: from });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().message).toMatch(new RegExp(`^too many requests: /api/\\* allows ${API_MAX} per minute from one address; retry in `));
    expect(limited.headers['x-content-type-options']).toBe('nosniff');
    // The twin's files are not counted: a wall of screens loads thousands of tiles.
    expect((await t.app.inject({ method: 'GET', url: '/twin/twin.json', remoteAddress: from })).statusCode).toBe(200);
  });
});

describe('behind a reverse proxy', () => {
  it('counts the client X-Forwarded-For names when the proxy is trusted, and only then', async () => {
    const limitedApp = async (trustProxy: readonly string[] | undefined) => {
      const app = Fastify({ trustProxy: trustedProxies(trustProxy, {}) });
      await app.register(securityPlugin, { rateLimit: { max: 2, timeWindowMs: 60_000 }, env: {} });
      app.get('/api/ping', async () => 'pong');
      await app.ready();
      return app;
    };
    const from = (app: FastifyInstance, client: string) =>
      app.inject({ url: '/api/ping', remoteAddress: '10.9.0.1', headers: { 'x-forwarded-for': client } }).then((r) => r.statusCode);

    const proxied = await limitedApp(['10.9.0.0/24']);
    expect([await from(proxied, '203.0.113.1'), await from(proxied, '203.0.113.1'), await from(proxied, '203.0.113.1')]).toEqual([200, 200, 429]);
    expect(await from(proxied, '203.0.113.2')).toBe(200);
    await proxied.close();
    // Not trusted: a client cannot pick its own address to escape the limit.
    const direct = await limitedApp(undefined);
    expect([await from(direct, '203.0.113.1'), await from(direct, '203.0.113.2'), await from(direct, '203.0.113.3')]).toEqual([200, 200, 429]);
    await direct.close();

    expect(trustedProxies(undefined, { CITYTWIN_TRUST_PROXY: ' 10.0.0.0/8, loopback ,fd00::1' })).toEqual(['10.0.0.0/8', 'loopback', 'fd00::1']);
    expect(() => trustedProxies(undefined, { CITYTWIN_TRUST_PROXY: 'proxy.example' })).toThrow(
      'env CITYTWIN_TRUST_PROXY: "proxy.example" is not an IP address, a CIDR range or one of loopback, linklocal, uniquelocal',
    );
    expect(() => trustedProxies(['10.0.0.0/33'])).toThrow('security option trustProxy: "10.0.0.0/33"');
  });
});

describe('security headers', () => {
  const common = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
  };

  it('are on API, static, not-found and refused answers, without HSTS unless configured', async () => {
    const answers = {
      api: await t.app.inject({ method: 'GET', url: '/api/health' }),
      static: await t.app.inject({ method: 'GET', url: '/twin/twin.json' }),
      notFound: await t.app.inject({ method: 'GET', url: '/api/nothing-here' }),
      staticNotFound: await t.app.inject({ method: 'GET', url: '/twin/nothing.json' }),
      refused: await t.app.inject({ method: 'GET', url: '/api/users' }),
      invalid: await t.app.inject({ method: 'GET', url: '/api/poles?status=purple' }),
    };
    const statuses = Object.fromEntries(Object.entries(answers).map(([k, r]) => [k, r.statusCode]));
    expect(statuses).toEqual({ api: 200, static: 200, notFound: 404, staticNotFound: 404, refused: 401, invalid: 400 });
    for (const [what, res] of Object.entries(answers)) {
      expect(res.headers, what).toMatchObject(common);
      expect(res.headers['permissions-policy'], what).toContain('camera=()');
      expect(res.headers['strict-transport-security'], what).toBeUndefined();
      const csp = String(res.headers['content-security-policy']);
      expect(csp, what).toContain("frame-ancestors 'none'");
      // Offline first: no outside host, no wildcard.
      expect(csp, what).not.toMatch(/https?:|\*/);
    }
    expect(answers.api.headers['content-security-policy']).toMatch(/^default-src 'none';/);
    expect(answers.static.headers['content-security-policy']).toMatch(/^default-src 'self'; script-src 'self' 'unsafe-eval'; worker-src 'self' blob:;/);
  });

  it('send HSTS only when configured, admit inline scripts by hash, and refuse bad env values', async () => {
    const bare = async (options: Parameters<typeof securityPlugin>[1]) => {
      const app = Fastify();
      await app.register(securityPlugin, options);
      app.get('/', async () => 'page');
      await app.ready();
      return app;
    };
    const tls = await bare({ env: { CITYTWIN_HSTS: '1' } });
    expect((await tls.inject({ url: '/' })).headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    await tls.close();
    const plain = await bare({ env: {} });
    expect((await plain.inject({ url: '/' })).headers['strict-transport-security']).toBeUndefined();
    await plain.close();

    const script = "\n      window.CESIUM_BASE_URL = '/cesium/';\n    ";
    const html = `<head><script>${script}</script><script type="module" src="/a.js"></script></head>`;
    expect(inlineScriptHashes(html)).toEqual([`sha256-${createHash('sha256').update(script).digest('base64')}`]);

    await expect(bare({ env: { CITYTWIN_RATE_LIMIT_MAX: 'lots' } })).rejects.toThrow('env CITYTWIN_RATE_LIMIT_MAX must be a positive integer, got "lots"');
    await expect(bare({ env: { CITYTWIN_BODY_LIMIT_BYTES: '-5' } })).rejects.toThrow('env CITYTWIN_BODY_LIMIT_BYTES must be a positive integer');
  });
});

/** A live socket that records what it receives; `token` signs it in first. */
async function liveSocket(token?: string): Promise<LiveClient> {
  const client = await LiveClient.connect(httpUrl);
  if (token !== undefined) client.socket.send(JSON.stringify({ type: 'auth', token }));
  return client;
}

const isEvent = (topic: string) => (m: LiveMessage): m is EventMessage => m.type === 'event' && m.topic === topic;

describe('the live socket', () => {
  it('keeps case and KPI events from anonymous, forged-token and other-department viewers while a case changes', async () => {
    const dispatcher = await liveSocket(tokens.dispatcher);
    const anonymous = await liveSocket();
    const forged = await liveSocket(issueToken(userIds.admin!, randomBytes(32), Date.now()).token);
    const expired = await liveSocket(issueToken(userIds.admin!, SECRET, Date.now() - 13 * 3_600_000).token);
    const otherDepartment = await liveSocket(tokens['handler-d-light']);
    const ownDepartment = await liveSocket(tokens['handler-d-water']);
    const watchers = [dispatcher, anonymous, forged, expired, otherDepartment, ownDepartment];
    // The sign-ins are answered asynchronously; a round trip on each socket settles them.
    await waitFor(() => watchers.every((w) => w.messages.some((m) => m.type === 'snapshot')), 5000, 'snapshots');
    await new Promise((r) => setTimeout(r, 200));

    expect((await act('handler-d-water', waterCase, { action: 'feedback', note: 'road swept' })).status).toBe(200);
    const event = await dispatcher.next(isEvent('case'));
    expect(event.data).toMatchObject({ case: { id: waterCase, status: 'handled' } });
    await ownDepartment.next(isEvent('case'));
    await dispatcher.next(isEvent('kpi'));
    // KPI events follow case events; by now every socket that should not see them would have.
    await new Promise((r) => setTimeout(r, 300));
    for (const [what, client] of Object.entries({ anonymous, forged, expired, otherDepartment })) {
      const leaked = client.messages.filter((m) => m.type === 'event' && (m.topic === 'case' || m.topic === 'kpi'));
      expect(leaked, what).toEqual([]);
      // Device status is public: they still got the snapshot.
      expect(client.messages[0]?.type, what).toBe('snapshot');
    }
    // The handler is not a KPI reader.
    expect(ownDepartment.messages.some((m) => m.type === 'event' && m.topic === 'kpi')).toBe(false);
    await Promise.all(watchers.map((w) => w.close()));
  });

  it('cuts off a socket that floods auth messages, and refuses an oversized message', async () => {
    const guesser = await liveSocket();
    const closed = new Promise<number>((resolve) => guesser.socket.once('close', (code) => resolve(code)));
    for (let i = 0; i < 25; i++) guesser.socket.send(JSON.stringify({ type: 'auth', token: `guess-${i}.x` }));
    expect(await closed).toBe(1008);

    const big = await liveSocket();
    const bigClosed = new Promise<number>((resolve) => big.socket.once('close', (code) => resolve(code)));
    big.socket.send(JSON.stringify({ type: 'auth', token: 'x'.repeat(8192) }));
    // ws closes with 1009 (message too big) on the server's maxPayload.
    expect(await bigClosed).toBe(1009);
    // The server is fine: a new socket gets its snapshot.
    const fresh = await liveSocket();
    await fresh.next((m) => m.type === 'snapshot');
    expect(fresh.socket.readyState).toBe(WebSocket.OPEN);
    await fresh.close();
  });
});
