/**
 * Malformed API bodies: random JSON, wrong types for each field of a valid body, huge strings,
 * broken JSON text. Every one gets a 4xx whose message names what is wrong: never a 5xx, and
 * never a 2xx (a route that accepts junk fails here), and the server keeps answering. Seeded, so
 * a failure reproduces; the seeds' random bodies happen to include no valid one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseApp, type CaseApp } from './caseApp';

let t: CaseApp;
let caseId: string;
let tokens: Record<string, string>;
/** The user the PATCH target changes. */
let userId: string;

beforeAll(async () => {
  t = await startCaseApp({ cases: { publicReportsPerMinute: 10_000 } });
  tokens = Object.fromEntries(await Promise.all(['inspector', 'dispatcher', 'admin'].map(async (u) => [u, await t.login(u)] as const)));
  caseId = (await t.call(tokens.inspector, { method: 'POST', url: '/api/cases', payload: { categoryId: 'dirty-road', description: 'mud', lon: 113.621, lat: 22.78 } })).body.case.id;
  // A user that exists, so that a junk PATCH reaches the update rather than a 404.
  const target = await t.call(tokens.admin, { method: 'POST', url: '/api/users', payload: { username: 'fuzz.target', displayName: 'T', password: 'long-enough-1', role: 'leader' } });
  expect(target.status).toBe(201);
  userId = target.body.id;
});
afterAll(async () => {
  await t?.close();
});

/** Mulberry32: a small seeded generator. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function randomValue(r: () => number, depth = 0): unknown {
  const pick = Math.floor(r() * (depth > 2 ? 6 : 8));
  switch (pick) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: return (r() - 0.5) * 10 ** Math.floor(r() * 20);
    case 3: return Math.floor(r() * 1e6) - 5e5;
    case 4: return String.fromCharCode(...Array.from({ length: Math.floor(r() * 40) }, () => Math.floor(r() * 0xd7ff)));
    case 5: return ['', 'register', 'cover-missing', '../../etc/passwd', '<script>', 'NaN', '4419000101000001'][Math.floor(r() * 7)];
    case 6: return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      const keys = ['action', 'categoryId', 'description', 'lon', 'lat', 'note', 'rating', 'username', 'password', 'role', 'photo', '__proto__', 'constructor', 'x'];
      return Object.fromEntries(Array.from({ length: Math.floor(r() * 5) }, () => [keys[Math.floor(r() * keys.length)]!, randomValue(r, depth + 1)]));
    }
  }
}

interface Target {
  method: 'POST' | 'PATCH';
  url: () => string;
  token?: string;
  valid: () => Record<string, unknown>;
}

const targets: Record<string, Target> = {
  createCase: { method: 'POST', url: () => '/api/cases', token: 'inspector', valid: () => ({ categoryId: 'dirty-road', description: 'mud', lon: 113.621, lat: 22.78, urgency: 'normal' }) },
  action: { method: 'POST', url: () => `/api/cases/${caseId}/actions`, token: 'dispatcher', valid: () => ({ action: 'comment', note: 'n', minutes: 10, rating: 3 }) },
  publicReport: { method: 'POST', url: () => '/api/reports', valid: () => ({ categoryId: 'dirty-road', description: 'mud', lon: 113.621, lat: 22.78, contact: 'c' }) },
  login: { method: 'POST', url: () => '/api/auth/login', valid: () => ({ username: 'nobody', password: 'secret-pass' }) },
  createUser: { method: 'POST', url: () => '/api/users', token: 'admin', valid: () => ({ username: 'fuzz.user', displayName: 'F', password: 'long-enough-1', role: 'leader' }) },
  patchUser: { method: 'PATCH', url: () => `/api/users/${userId}`, token: 'admin', valid: () => ({ displayName: 'F', active: true, role: 'leader' }) },
};

async function send(target: Target, payload: string, contentType = 'application/json') {
  const res = await t.app.inject({
    method: target.method,
    url: target.url(),
    payload,
    headers: { 'content-type': contentType, ...(target.token ? { authorization: `Bearer ${tokens[target.token]}` } : {}) },
  });
  return { status: res.statusCode, body: res.json() as { message?: string; code?: string } };
}

function expectClientError(res: { status: number; body: { message?: string } }, what: string): void {
  if (res.status >= 500 || res.status < 400) throw new Error(`${what}: answered ${res.status} ${JSON.stringify(res.body)}`);
  expect(res.body.message, what).toBeTruthy();
}

describe('fuzzed bodies', () => {
  it('answers random JSON with 4xx, never 2xx or 5xx', async () => {
    const r = rng(20261122);
    for (const [name, target] of Object.entries(targets)) {
      for (let i = 0; i < 40; i++) {
        const value = randomValue(r);
        const res = await send(target, JSON.stringify(value));
        expectClientError(res, `${name} ${JSON.stringify(value).slice(0, 200)}`);
      }
    }
  });

  it('refuses the plainest junk on every route: empty object, empty array, null, a number, a string', async () => {
    for (const [name, target] of Object.entries(targets)) {
      for (const junk of ['{}', '[]', 'null', '0', '""', '{"x":1}']) {
        expectClientError(await send(target, junk), `${name} ${junk}`);
      }
    }
  });

  it('names the field when one field of a valid body has the wrong type', async () => {
    const r = rng(7);
    for (const [name, target] of Object.entries(targets)) {
      for (const field of Object.keys(target.valid())) {
        for (const wrong of [{ nested: true }, [1, 2], 'x'.repeat(5000), -1e308, true]) {
          const original = target.valid()[field];
          if (typeof wrong === typeof original && !Array.isArray(wrong)) continue;
          const body = { ...target.valid(), [field]: wrong };
          const res = await send(target, JSON.stringify(body));
          expectClientError(res, `${name}.${field}=${JSON.stringify(wrong).slice(0, 40)}`);
          if (res.status === 400 && res.body.message!.startsWith('body/')) expect(res.body.message, `${name}.${field}`).toContain(field);
        }
      }
      // And fields nobody asked for.
      const extra = await send(target, JSON.stringify({ ...target.valid(), injected: r() }));
      if (name !== 'login') expectClientError(extra, `${name} with an unknown field`);
    }
  });

  it('refuses broken JSON, wrong content types and bodies over the limit', async () => {
    for (const [name, target] of Object.entries(targets)) {
      for (const text of ['{', '{"a":', 'nul', '"\\u12"', '[1,2', '\u0000', '{"description": "' + 'x'.repeat(10) + '}']) {
        expectClientError(await send(target, text), `broken JSON ${text.slice(0, 20)}`);
      }
      expectClientError(await send(target, 'a=b', 'application/x-www-form-urlencoded'), 'form body');
      const huge = await send(target, JSON.stringify({ ...target.valid(), description: 'x'.repeat(5 * 1024 * 1024) }));
      // Login is rate-limited (20 a minute per address), and the fuzzing above used that up.
      expect(name === 'login' ? [413, 429] : [413]).toContain(huge.status);
    }
    const long = await send(targets.createCase!, JSON.stringify({ ...targets.createCase!.valid(), description: 'x'.repeat(2001) }));
    expect(long).toMatchObject({ status: 400, body: { message: 'body/description must not have more than 2000 characters' } });
  });

  it('still answers normally afterwards', async () => {
    const res = await t.call(tokens.dispatcher, { method: 'GET', url: `/api/cases/${caseId}` });
    expect(res.status).toBe(200);
    expect((await t.call(undefined, { method: 'GET', url: '/api/health' })).status).toBe(200);
  });
});
