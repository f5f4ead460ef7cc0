/**
 * Tokens that cannot be bent: only the canonical encoding verifies, a password change or a
 * disable ends every session for good, and the last active admin cannot lock everyone out.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken, verifyToken } from '../../server/auth/tokens';
import { startCaseApp, type CaseApp } from '../cases/caseApp';

const SECRET = randomBytes(32);
let t: CaseApp;

beforeAll(async () => {
  t = await startCaseApp({ auth: { passwordCostLog2: 10, secret: SECRET } });
});

afterAll(async () => {
  await t?.close();
});

async function me(token: string): Promise<number> {
  return (await t.call(token, { method: 'GET', url: '/api/auth/me' })).status;
}

async function login(username: string, password: string): Promise<string> {
  const res = await t.call(undefined, { method: 'POST', url: '/api/auth/login', payload: { username, password } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.token as string;
}

describe('token encoding', () => {
  it('refuses a valid token with anything appended or changed in its signature', async () => {
    const { token } = issueToken('user-1', SECRET, 1000, 60_000);
    expect(verifyToken(token, SECRET, 2000)).toEqual({ sub: 'user-1', exp: 61_000, ver: 0 });
    for (const bent of [`${token}!`, `${token}=`, `${token}==`, `${token}.`, `${token} `, `${token}A`, `${token.slice(0, -1)}`, `${token}\n`]) {
      expect(verifyToken(bent, SECRET, 2000), JSON.stringify(bent)).toBeUndefined();
    }
    // The last base64url character carries 4 spare bits: a decoder that ignores them would accept a sibling.
    const last = token.at(-1)!;
    const sibling = `${token.slice(0, -1)}${last === 'A' ? 'B' : 'A'}`;
    expect(verifyToken(sibling, SECRET, 2000)).toBeUndefined();
  });

  it('refuses bent tokens at the API', async () => {
    const token = await t.login('leader');
    expect(await me(token)).toBe(200);
    for (const bent of [`${token}!`, `${token}=`, `${token}%`]) expect(await me(bent), bent).toBe(401);
  });
});

describe('token versions', () => {
  it('a password change ends the sessions opened before it', async () => {
    const admin = await t.login('admin');
    const created = await t.call(admin, { method: 'POST', url: '/api/users', payload: { username: 'pw-change', displayName: 'P', password: 'first-password-1', role: 'planner' } });
    expect(created.status).toBe(201);
    const old = await login('pw-change', 'first-password-1');
    expect(await me(old)).toBe(200);
    expect((await t.call(admin, { method: 'PATCH', url: `/api/users/${created.body.id}`, payload: { password: 'second-password-2' } })).status).toBe(200);
    expect(await me(old)).toBe(401);
    expect(await me(await login('pw-change', 'second-password-2'))).toBe(200);
  });

  it('a disable ends the sessions, and re-enabling does not revive them', async () => {
    const admin = await t.login('admin');
    const created = await t.call(admin, { method: 'POST', url: '/api/users', payload: { username: 'disabled-later', displayName: 'D', password: 'some-password-1', role: 'leader' } });
    const old = await login('disabled-later', 'some-password-1');
    const patch = (active: boolean) => t.call(admin, { method: 'PATCH', url: `/api/users/${created.body.id}`, payload: { active } });
    expect((await patch(false)).status).toBe(200);
    expect(await me(old)).toBe(401);
    expect((await patch(true)).status).toBe(200);
    expect(await me(old)).toBe(401);
    expect(await me(await login('disabled-later', 'some-password-1'))).toBe(200);
  });
});

describe('the last admin', () => {
  it('cannot disable or demote itself while it is the only active admin', async () => {
    const admin = await t.login('admin');
    const users = (await t.call(admin, { method: 'GET', url: '/api/users' })).body as Array<{ id: string; username: string; role: string; active: boolean }>;
    const self = users.find((u) => u.username === 'admin')!;
    expect(users.filter((u) => u.role === 'admin' && u.active)).toHaveLength(1);
    for (const payload of [{ active: false }, { role: 'leader' }]) {
      const res = await t.call(admin, { method: 'PATCH', url: `/api/users/${self.id}`, payload });
      expect(res.status, JSON.stringify(payload)).toBe(409);
      expect(res.body.message).toMatch(/last active admin/);
    }
    expect(await me(admin)).toBe(200);
    // With a second admin, the first may step down.
    const second = await t.call(admin, { method: 'POST', url: '/api/users', payload: { username: 'admin-two', displayName: 'A2', password: 'admin-two-pass', role: 'admin' } });
    expect(second.status).toBe(201);
    expect((await t.call(admin, { method: 'PATCH', url: `/api/users/${self.id}`, payload: { role: 'leader' } })).status).toBe(200);
    const two = await login('admin-two', 'admin-two-pass');
    expect((await t.call(two, { method: 'PATCH', url: `/api/users/${second.body.id}`, payload: { active: false } })).status).toBe(409);
  });
});
