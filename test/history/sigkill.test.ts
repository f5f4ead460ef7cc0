/**
 * A SIGKILL loses at most the batch window: a server in a child process (historyChild.ts) takes a
 * steady stream of readings over real MQTT and is killed with SIGKILL mid-stream. Its history.db,
 * opened afterwards, holds an unbroken prefix of the stream (batches commit whole, in order) that
 * reaches at least every reading acknowledged more than the 1 s window (plus 0.5 s for the ingest
 * and a late timer on a loaded machine) before the kill.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { terminalTopic } from '../../domain/topics';
import { HISTORY_SQLITE_FILE } from '../../server/history/plugin';
import { SqliteHistoryStore } from '../../server/history/SqliteHistoryStore';
import { REPO_ROOT } from '../support/cliServer';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';
import { telemetryJson } from '../server/helpers';

let twin: TinyTwin;
let dataDir: string;
let child: ChildProcess | undefined;

interface ChildInfo {
  httpUrl: string;
  mqttUrl: string;
  username: string;
  password: string;
}

function startChild(): Promise<ChildInfo> {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test/history/historyChild.ts'), twin.dir, dataDir], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as ChildInfo);
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}

beforeAll(async () => {
  twin = await writeTinyTwin({ poles: 2 });
  dataDir = await mkdtemp(path.join(tmpdir(), 'citytwin-history-kill-'));
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await twin?.cleanup();
  await rm(dataDir, { recursive: true, force: true });
});

it('keeps every reading older than the batch window after a SIGKILL', async () => {
  const info = await startChild();
  const device = await mqtt.connectAsync(info.mqttUrl, { clientId: 'test-history-kill', username: info.username, password: info.password, reconnectPeriod: 0 });
  const base = Date.now() - 60_000;
  const ackedAt: number[] = [];
  const topic = terminalTopic('P00001-water-level', 'telemetry');
  const started = Date.now();
  // About 3 s of readings, one every few ms; reading i has device time base + i ms and value i % 1000.
  for (let i = 0; Date.now() - started < 3000; i++) {
    await device.publishAsync(topic, telemetryJson({ depthCm: i % 1000 }, base + i), { qos: 1 });
    ackedAt.push(Date.now());
  }
  const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
  child!.kill('SIGKILL');
  const killedAt = Date.now();
  await exited;
  child = undefined;
  device.end(true);

  const store = new SqliteHistoryStore(path.join(dataDir, HISTORY_SQLITE_FILE));
  try {
    const stored = await store.raw('P00001-water-level', 'depthCm', base, base + ackedAt.length, 100_000);
    const indexes = stored.map((p) => p.t - base);
    // An unbroken prefix 0..k-1, each with its own value.
    expect(indexes).toEqual(indexes.map((_, i) => i));
    expect(stored.every((p) => p.last === (p.t - base) % 1000)).toBe(true);
    const mustHave = ackedAt.filter((t) => t < killedAt - 1500).length;
    expect(mustHave).toBeGreaterThan(10);
    expect(stored.length).toBeGreaterThanOrEqual(mustHave);
  } finally {
    await store.close();
  }
}, 120_000);
