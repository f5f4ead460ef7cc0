/**
 * The scenario queue and the cross-instance lock, as every Storage adapter must provide them
 * (run inside storageContract.ts against SQLite and PostgreSQL): one claim per scenario, the
 * oldest first, heartbeats that carry the cancel flag, updates only under the claim, expiry of a
 * silent instance's runs, result files in parts, and a lock whose callers never overlap.
 */
import { expect, it } from 'vitest';
import type { Scenario } from '../../domain/scenarios';
import { SCENARIO_FILE_PART_BYTES } from '../../server/storage/scenarioStorage';
import type { Storage } from '../../server/storage/Storage';
import type { StorageHarness } from './storageHarness';

const T0 = 1_750_000_000_000;

function makeScenario(n: number, over: Partial<Scenario> = {}): Scenario {
  return { id: `sc-test-${n}`, kind: 'flood', name: `run ${n}`, params: { upTo: n, rain: { mmPerHour: 50 } }, status: 'queued', progress: 0, createdAt: T0 + n, ...over };
}

async function* chunks(...parts: Uint8Array[]): AsyncIterable<Uint8Array> {
  yield* parts;
}

async function readAll(parts: AsyncIterable<Buffer>): Promise<Buffer> {
  const all: Buffer[] = [];
  for await (const part of parts) all.push(part);
  return Buffer.concat(all);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Storages standing for two instances: a second one on the same database where the engine allows. */
async function twoInstances(h: StorageHarness): Promise<{ a: Storage; b: Storage; done(): Promise<void> }> {
  const b = h.openSecond ? await h.openSecond() : h.storage;
  return { a: h.storage, b, done: async () => (b !== h.storage ? b.close() : undefined) };
}

export function scenarioContract(harness: () => StorageHarness): void {
  it('queues scenarios, lists them newest first and refuses beyond the queue limit', async () => {
    const s = harness().storage;
    expect(await s.insertScenario(makeScenario(1), 2)).toBe(true);
    expect(await s.insertScenario(makeScenario(2, { kind: 'traffic' }), 2)).toBe(true);
    expect(await s.insertScenario(makeScenario(3), 2)).toBe(false);
    expect(await s.getScenario('sc-test-3')).toBeUndefined();
    expect(await s.getScenario('sc-test-1')).toEqual(makeScenario(1));
    expect((await s.listScenarios({ limit: 10 })).map((x) => x.id)).toEqual(['sc-test-2', 'sc-test-1']);
    expect((await s.listScenarios({ limit: 10, kind: 'flood' })).map((x) => x.id)).toEqual(['sc-test-1']);
    expect((await s.listScenarios({ limit: 1 })).map((x) => x.id)).toEqual(['sc-test-2']);
    // Finished scenarios do not count against the queue.
    await s.updateScenario({ ...makeScenario(1), status: 'done', progress: 1, finishedAt: T0 + 50, summary: { sum: 1 }, files: ['sum.json'] });
    expect(await s.insertScenario(makeScenario(3), 2)).toBe(true);
    expect(await s.getScenario('sc-test-1')).toEqual({ ...makeScenario(1), status: 'done', progress: 1, finishedAt: T0 + 50, summary: { sum: 1 }, files: ['sum.json'] });
  });

  it('hands each queued scenario to one instance, oldest first, of the kinds it knows', async () => {
    const { a, b, done } = await twoInstances(harness());
    try {
      for (let n = 1; n <= 4; n++) await a.insertScenario(makeScenario(n, n === 2 ? { kind: 'traffic' } : {}), 10);
      expect(await a.claimNextScenario('a', T0 + 100, ['greenwave'])).toBeUndefined();
      expect(await a.claimNextScenario('a', T0 + 100, [])).toBeUndefined();
      // Six claims at once from two instances: each flood scenario goes to exactly one of them.
      const claims = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => (i % 2 ? b : a).claimNextScenario(i % 2 ? 'b' : 'a', T0 + 100, ['flood'])));
      const got = claims.filter((c): c is Scenario => c !== undefined);
      expect(got.map((c) => c.id).sort()).toEqual(['sc-test-1', 'sc-test-3', 'sc-test-4']);
      expect(got.every((c) => c.status === 'running' && c.startedAt === T0 + 100)).toBe(true);
      expect((await a.getScenario('sc-test-2'))?.status).toBe('queued');
      expect((await b.claimNextScenario('b', T0 + 200, ['flood', 'traffic']))?.id).toBe('sc-test-2');
    } finally {
      await done();
    }
  });

  it('takes progress with each heartbeat and tells the running instance of a cancel from anywhere', async () => {
    const { a, b, done } = await twoInstances(harness());
    try {
      await a.insertScenario(makeScenario(1), 10);
      await a.insertScenario(makeScenario(2), 10);
      await a.claimNextScenario('a', T0 + 100, ['flood']);
      expect(await a.heartbeatScenario('sc-test-1', 'a', T0 + 200, 0.25, 'step 1')).toEqual({ cancelRequested: false });
      expect(await b.getScenario('sc-test-1')).toMatchObject({ status: 'running', progress: 0.25, message: 'step 1' });
      // Another instance's heartbeat for the run is refused: it holds no claim.
      expect(await b.heartbeatScenario('sc-test-1', 'b', T0 + 200, 0.9)).toBeUndefined();

      // Queued: cancelled at once. Running: flagged for its instance, still running.
      expect(await b.requestScenarioCancel('sc-test-2', T0 + 300)).toMatchObject({ status: 'cancelled', finishedAt: T0 + 300 });
      expect(await b.requestScenarioCancel('sc-test-1', T0 + 300)).toMatchObject({ status: 'running' });
      expect(await a.heartbeatScenario('sc-test-1', 'a', T0 + 400, 0.5)).toEqual({ cancelRequested: true });
      expect((await a.getScenario('sc-test-1'))?.message).toBe('step 1');
      expect(await b.requestScenarioCancel('sc-none', T0)).toBeUndefined();
    } finally {
      await done();
    }
  });

  it('lets only the claiming instance finish a run, and a finished run keeps no claim', async () => {
    const s = harness().storage;
    await s.insertScenario(makeScenario(1), 10);
    const running = (await s.claimNextScenario('a', T0 + 100, ['flood']))!;
    const done: Scenario = { ...running, status: 'done', progress: 1, finishedAt: T0 + 500, summary: { sum: 1 } };
    expect(await s.updateScenario(done, 'b')).toBe(false);
    expect(await s.updateScenario(done, 'a')).toBe(true);
    expect(await s.getScenario(running.id)).toEqual(done);
    expect(await s.updateScenario({ ...done, status: 'failed' }, 'a')).toBe(false);
    expect(await s.heartbeatScenario(running.id, 'a', T0 + 600, 1)).toBeUndefined();
  });

  it('fails the runs of an instance that stopped heartbeating and drops their partial files', async () => {
    const s = harness().storage;
    await s.insertScenario(makeScenario(1), 10);
    await s.insertScenario(makeScenario(2), 10);
    await s.claimNextScenario('gone-1', T0 + 100, ['flood']);
    await s.claimNextScenario('alive-2', T0 + 100, ['flood']);
    await s.putScenarioFile('sc-test-1', 'partial.bin', chunks(new Uint8Array([1, 2, 3])));
    await s.heartbeatScenario('sc-test-2', 'alive-2', T0 + 30_000, 0.5);
    const expired = await s.expireScenarios(T0 + 20_000, T0 + 30_500);
    expect(expired).toEqual([expect.objectContaining({ id: 'sc-test-1', status: 'failed', error: 'interrupted: instance gone-1 stopped', finishedAt: T0 + 30_500 })]);
    expect(await s.getScenarioFile('sc-test-1', 'partial.bin')).toBeUndefined();
    expect((await s.getScenario('sc-test-2'))?.status).toBe('running');
    expect(await s.heartbeatScenario('sc-test-1', 'gone-1', T0 + 31_000, 0.6)).toBeUndefined();
    expect(await s.expireScenarios(T0 + 20_000, T0 + 31_000)).toEqual([]);
  });

  it('stores result files in parts and serves them back whole; they go with their scenario', async () => {
    const s = harness().storage;
    await s.insertScenario(makeScenario(1), 10);
    // 2.5 parts, written in chunks that do not line up with the parts.
    const size = Math.floor(SCENARIO_FILE_PART_BYTES * 2.5);
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 13)) & 0xff;
    const third = Math.floor(size / 3);
    expect(await s.putScenarioFile('sc-test-1', 'frames.bin', chunks(bytes.subarray(0, third), bytes.subarray(third, 2 * third), bytes.subarray(2 * third)))).toBe(size);
    await s.putScenarioFile('sc-test-1', 'empty.json', chunks());
    await s.putScenarioFile('sc-test-1', 'sum.json', chunks(Buffer.from('{"sum":1}')));
    await s.putScenarioFile('sc-test-1', 'sum.json', chunks(Buffer.from('{"sum":820}')));

    const frames = (await s.getScenarioFile('sc-test-1', 'frames.bin'))!;
    expect(frames.size).toBe(size);
    const parts: Buffer[] = [];
    for await (const part of frames.parts) parts.push(part);
    expect(parts.map((p) => p.length)).toEqual([SCENARIO_FILE_PART_BYTES, SCENARIO_FILE_PART_BYTES, size - 2 * SCENARIO_FILE_PART_BYTES]);
    expect(Buffer.concat(parts).equals(bytes)).toBe(true);
    const replaced = (await s.getScenarioFile('sc-test-1', 'sum.json'))!;
    expect(replaced.size).toBe(11);
    expect((await readAll(replaced.parts)).toString()).toBe('{"sum":820}');
    expect((await s.getScenarioFile('sc-test-1', 'empty.json'))?.size).toBe(0);
    expect(await s.getScenarioFile('sc-test-1', 'other.json')).toBeUndefined();

    expect(await s.deleteScenario('sc-test-1')).toBe(true);
    expect(await s.deleteScenario('sc-test-1')).toBe(false);
    expect(await s.getScenarioFile('sc-test-1', 'sum.json')).toBeUndefined();
    await expect(s.putScenarioFile('sc-test-1', 'late.json', chunks(Buffer.from('{}')))).rejects.toThrow();
  });
}

export function lockContract(harness: () => StorageHarness): void {
  it('never lets two callers of one lock overlap, across instances, and frees it after a failure', async () => {
    const { a, b, done } = await twoInstances(harness());
    try {
      let inside = 0;
      let most = 0;
      const order: number[] = [];
      const critical = (n: number) => async (): Promise<number> => {
        inside++;
        most = Math.max(most, inside);
        await sleep(15);
        order.push(n);
        inside--;
        if (n === 2) throw new Error('fails inside the lock');
        return n;
      };
      const results = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((n) => (n % 2 ? a : b).withLock('case-intake:garbage-pile', critical(n))));
      expect(most).toBe(1);
      expect(order.sort()).toEqual([1, 2, 3, 4, 5, 6]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
      expect(await a.withLock('case-intake:garbage-pile', async () => 'free again')).toBe('free again');
    } finally {
      await done();
    }
  });

  it('does not make different lock names wait for each other', async () => {
    const { a, b, done } = await twoInstances(harness());
    try {
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      // The first holder waits for the second: were the names one lock, neither would finish.
      const first = a.withLock('case-intake:lamp-out', () => released);
      await sleep(20);
      await b.withLock('case-intake:dirty-road', async () => release());
      await first;
    } finally {
      await done();
    }
  });
}
