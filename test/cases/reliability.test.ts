/**
 * A success answer is never lost: the server runs in a child process on its own data folder, a
 * burst of inspector reports and workflow actions goes at it, and it is killed with SIGKILL in
 * the middle. After a restart on the same folder every acknowledged (2xx) report and transition
 * is there, and replaying every request with its idempotency key creates no duplicate.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/cliServer';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';
import { demoPassword, tinyGridCells } from './caseApp';

let twin: TinyTwin;
let dataDir: string;
let child: ChildProcess | undefined;

async function startChild(): Promise<string> {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test/cases/serveChild.ts'), twin.dir, dataDir], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /LISTENING (\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
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

function kill(signal: NodeJS.Signals): Promise<void> {
  const proc = child;
  child = undefined;
  if (!proc || proc.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill(signal);
  });
}

beforeAll(async () => {
  twin = await writeTinyTwin();
  await writeFile(path.join(twin.dir, 'layers', 'grid-cells.geojson'), JSON.stringify(tinyGridCells()));
  dataDir = await mkdtemp(path.join(tmpdir(), 'citytwin-crash-'));
});

afterAll(async () => {
  await kill('SIGKILL');
  await twin?.cleanup();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface Sent {
  key: string;
  url: string;
  body: object;
  token: string;
  /** The 2xx answer, when one came back before the kill. */
  answer?: { case: { id: string }; report?: { id: string }; event?: { seq: number } };
}

async function send(base: string, s: Sent): Promise<Response> {
  return fetch(base + s.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}`, 'idempotency-key': s.key },
    body: JSON.stringify(s.body),
  });
}

async function login(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: demoPassword(username) }) });
  return ((await res.json()) as { token: string }).token;
}

it('keeps every acknowledged report and transition across a SIGKILL, and retries create no duplicates', async () => {
  let base = await startChild();
  const inspector = await login(base, 'inspector');
  const dispatcher = await login(base, 'dispatcher');

  const sent: Sent[] = [];
  let acknowledged = 0;
  let killed = false;
  const report = (i: number): Sent => ({
    key: `crash-report-${i}`,
    url: '/api/cases',
    token: inspector,
    // Spread over the twin so most reports open their own case; some merge, which must hold too.
    body: { categoryId: i % 2 ? 'dirty-road' : 'garbage-pile', description: `burst report ${i}`, lon: 113.6201 + (i % 40) * 0.0001, lat: 22.7791 + Math.floor(i / 40) * 0.0007 },
  });
  const fire = async (s: Sent): Promise<void> => {
    sent.push(s);
    try {
      const res = await send(base, s);
      if (res.ok) {
        s.answer = (await res.json()) as Sent['answer'];
        acknowledged += 1;
        // A registered case gets its registration in the burst too.
        if (s.answer?.report && s.answer.case && !killed) {
          await fire({ key: `crash-register-${s.answer.case.id}-${s.key}`, url: `/api/cases/${s.answer.case.id}/actions`, token: dispatcher, body: { action: 'comment', note: `seen ${s.key}` } });
        }
      }
    } catch {
      // The connection died with the server: not acknowledged.
    }
  };

  const burst: Array<Promise<void>> = [];
  for (let i = 0; i < 90; i++) {
    burst.push(fire(report(i)));
    if (i === 60) {
      // Kill once a good share has been acknowledged, with requests still in flight.
      const start = Date.now();
      while (acknowledged < 30 && Date.now() - start < 20_000) await new Promise((r) => setTimeout(r, 5));
      killed = true;
      await kill('SIGKILL');
    }
    if (i % 8 === 7 && !killed) await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(burst);
  expect(killed).toBe(true);
  expect(acknowledged).toBeGreaterThanOrEqual(30);

  base = await startChild();
  const get = async (url: string) => (await (await fetch(base + url, { headers: { authorization: `Bearer ${dispatcher}` } })).json()) as Record<string, unknown>;

  // Every acknowledged report and comment is stored.
  const acked = sent.filter((s) => s.answer);
  for (const s of acked) {
    const detail = (await get(`/api/cases/${s.answer!.case.id}`)) as { reports: Array<{ id: string }>; events: Array<{ seq: number }> };
    if (s.answer!.report) expect(detail.reports.map((r) => r.id)).toContain(s.answer!.report.id);
    if (s.answer!.event) expect(detail.events.map((e) => e.seq)).toContain(s.answer!.event.seq);
  }

  // Replay everything with the same keys: acknowledged ones answer the same, the rest go through once.
  const reports = sent.filter((s) => s.url === '/api/cases');
  for (const s of reports) {
    const res = await send(base, s);
    expect(res.status).toBe(201);
    const answer = (await res.json()) as NonNullable<Sent['answer']>;
    if (s.answer) expect(answer.report!.id).toBe(s.answer.report!.id);
  }
  // A second replay answers what the first replay created.
  const again = (await (await send(base, reports.at(-1)!)).json()) as NonNullable<Sent['answer']>;
  expect(again.report!.id).toBe(((await (await send(base, reports.at(-1)!)).json()) as NonNullable<Sent['answer']>).report!.id);
  const list = (await get('/api/cases?limit=500')) as { items: Array<{ id: string; reportCount: number }> };
  const storedReports = list.items.reduce((n, c) => n + c.reportCount, 0);
  expect(storedReports).toBe(reports.length);
  for (const c of list.items) expect(((await get(`/api/cases/${c.id}`)) as { reports: unknown[] }).reports).toHaveLength(c.reportCount);
  await kill('SIGTERM');
}, 90_000);
