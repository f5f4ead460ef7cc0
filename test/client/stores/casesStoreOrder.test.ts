/**
 * The cases store against the real case API (the tiny twin's server, reached through
 * `app.inject`) when answers come back out of order: live events start fetches of the open case
 * that overlap, and one answered late must not put an older version of the case back on screen.
 * In a cluster this happened as a case that stayed "handled" on one page after another instance
 * closed it (test/browser/cluster.browser.test.ts).
 *
 * The stores use browser types (localStorage, FileReader), so test/client/stores/ is type-checked
 * with test/browser/tsconfig.json; the test itself runs in Node.
 */
import { createPinia, setActivePinia } from 'pinia';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CaseActionResponse, CreateCaseResponse, LoginResponse } from '../../../domain/cases/api';
import { useCasesStore } from '../../../client/src/features/cases/casesStore';
import { dispatchServerEvent } from '../../../client/src/features/live/serverEvents';
import { setSession } from '../../../client/src/shared/session';
import { waitFor } from '../../server/helpers';
import { demoPassword, startCaseApp, type CaseApp } from '../../cases/caseApp';

let t: CaseApp;
/** Detail answers held back until the test lets them go, by call order. */
const held: Array<{ url: string; release: () => void }> = [];
let holdDetails = false;
const realFetch = globalThis.fetch;

beforeAll(async () => {
  t = await startCaseApp();
  // Node has no localStorage; the session module keeps the browser's token there.
  const stored = new Map<string, string>();
  Object.assign(globalThis, {
    localStorage: { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => stored.set(k, v), removeItem: (k: string) => stored.delete(k) },
  });
  // The store's same-origin requests go to the server in this process.
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    const answer = await t.app.inject({
      method: (init?.method ?? 'GET') as 'GET',
      url,
      headers: init?.headers as Record<string, string>,
      payload: init?.body as string | undefined,
    });
    if (holdDetails && /^\/api\/cases\/[^/?]+$/.test(url)) await new Promise<void>((release) => held.push({ url, release }));
    return new Response(answer.statusCode === 204 ? null : answer.body, { status: answer.statusCode, headers: { 'content-type': 'application/json' } });
  };
});
afterEach(() => {
  holdDetails = false;
  for (const h of held.splice(0)) h.release();
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  await t?.close();
});

async function signIn(username: string): Promise<void> {
  const res = await t.call(undefined, { method: 'POST', url: '/api/auth/login', payload: { username, password: demoPassword(username) } });
  setSession(res.body as LoginResponse);
}

describe('the open case when live events overlap', () => {
  it('keeps the newest version when an older answer arrives last', async () => {
    setActivePinia(createPinia());
    await signIn('dispatcher');
    const store = useCasesStore();
    store.start();
    const dispatcher = await t.login('dispatcher');
    const created = (await t.call(dispatcher, { method: 'POST', url: '/api/cases', payload: { categoryId: 'garbage-pile', description: 'a heap of debris at the corner', lon: 113.6205, lat: 22.7801 } })).body as CreateCaseResponse;
    const id = created.case.id;
    await store.open(id);
    expect(store.detail?.case.status).toBe('reported');

    // The first fetch reads version 1 and is held on the wire.
    holdDetails = true;
    const first = store.open(id);
    await waitFor(() => held.length === 1, 5000, 'the first detail answer held');
    // Meanwhile the case is registered and its event starts a second fetch, which reads version 2.
    const registered = (await t.call(dispatcher, { method: 'POST', url: `/api/cases/${id}/actions`, payload: { action: 'register' } })).body as CaseActionResponse;
    expect(registered.case.version).toBe(created.case.version + 1);
    dispatchServerEvent('case', { case: registered.case, event: registered.event });
    await waitFor(() => held.length === 2, 5000, 'the second detail answer held');

    // The newer answer arrives first, the older one last.
    held[1]!.release();
    await waitFor(() => store.detail?.case.version === registered.case.version, 5000, 'the registered case shown');
    held[0]!.release();
    await first;
    expect(store.detail?.case.status).toBe('registered');
    expect(store.detail?.case.version).toBe(registered.case.version);

    // An event the page has already seen (an echo from another instance) fetches nothing.
    holdDetails = false;
    const before = held.length;
    dispatchServerEvent('case', { case: created.case, event: registered.event });
    expect(held.length).toBe(before);
    expect(store.detail?.case.status).toBe('registered');
  });

  it('drops the answer for a case the user has already left', async () => {
    setActivePinia(createPinia());
    await signIn('dispatcher');
    const store = useCasesStore();
    const dispatcher = await t.login('dispatcher');
    // Far enough apart not to be merged as one case.
    const make = async (description: string, lon: number) =>
      ((await t.call(dispatcher, { method: 'POST', url: '/api/cases', payload: { categoryId: 'garbage-pile', description, lon, lat: 22.7801 } })).body as CreateCaseResponse).case.id;
    const [left, chosen] = [await make('debris by the west bus stop', 113.6203), await make('debris by the east bus stop', 113.6235)];
    expect(left).not.toBe(chosen);

    holdDetails = true;
    const slow = store.open(left);
    await waitFor(() => held.length === 1, 5000, 'the first detail answer held');
    holdDetails = false;
    await store.open(chosen);
    held[0]!.release();
    await slow;
    expect(store.detail?.case.id).toBe(chosen);

    holdDetails = true;
    const closing = store.open(chosen);
    await waitFor(() => held.length === 2, 5000, 'the detail answer held');
    store.close();
    held[1]!.release();
    await closing;
    expect(store.detail).toBeNull();
  });
});
