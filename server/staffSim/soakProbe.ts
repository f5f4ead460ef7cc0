/**
 * What a long run watches on a running server: open alarms, open cases, the live snapshot a new
 * browser gets, the state files, the process's memory. For `npm run bench -- soak` and the
 * long-run test (docs/staff-sim.md).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Case } from '../../domain/cases/case';
import { OPEN_STATUSES, type CaseStatus } from '../../domain/cases/stages';
import { HISTORY_SQLITE_FILE } from '../history/plugin';
import { SQLITE_FILE } from '../storage/plugin';

export interface SoakSample {
  /** Simulated days since the run began. */
  simDay: number;
  openAlarms: number;
  /** Open alarms by kind, and how many of them were raised over a simulated day ago. */
  alarmsByKind: Record<string, { open: number; overDay: number }>;
  openCases: number;
  /** Open cases by the step they wait in (reported: to register, registered: to dispatch, …). */
  waiting: Partial<Record<CaseStatus, number>>;
  /** All cases ever opened. */
  cases: number;
  /** Bytes of the live snapshot a browser gets on connecting. */
  snapshotBytes: number;
  /** Case database and device history, with their write-ahead logs. */
  databaseBytes: number;
  historyBytes: number;
  rssBytes: number;
  heapBytes: number;
}

function fileBytes(dir: string, name: string): number {
  let total = 0;
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      total += statSync(path.join(dir, name + suffix)).size;
    } catch {
      // Absent (no history, PostgreSQL): counts nothing.
    }
  }
  return total;
}

/** Open alarms by kind; `speedup` turns their wall-clock age into simulated time. */
function alarmsByKind(app: FastifyInstance, speedup: number): SoakSample['alarmsByKind'] {
  const now = Date.now();
  const byKind: SoakSample['alarmsByKind'] = {};
  for (const alarm of app.live.alarms()) {
    const entry = (byKind[alarm.kind] ??= { open: 0, overDay: 0 });
    entry.open += 1;
    if ((now - alarm.raisedAt) * speedup > 86_400_000) entry.overDay += 1;
  }
  return byKind;
}

export async function sampleSoak(app: FastifyInstance, simDay: number, speedup = 1): Promise<SoakSample> {
  const count = async (statuses?: readonly string[]): Promise<number> => (await app.storage.listCases({ limit: 1, offset: 0, statuses })).total;
  const memory = process.memoryUsage();
  const waiting: Partial<Record<CaseStatus, number>> = {};
  for (const status of OPEN_STATUSES) waiting[status] = await count([status]);
  return {
    simDay,
    openAlarms: app.live.counters().openAlarms,
    alarmsByKind: alarmsByKind(app, speedup),
    openCases: Object.values(waiting).reduce((a, n) => a + n, 0),
    waiting,
    cases: await count(),
    snapshotBytes: Buffer.byteLength(JSON.stringify(app.live.snapshot())),
    databaseBytes: fileBytes(app.dataDir, SQLITE_FILE),
    historyBytes: fileBytes(app.dataDir, HISTORY_SQLITE_FILE),
    rssBytes: memory.rss,
    heapBytes: memory.heapUsed,
  };
}

/** Every case in the database, newest first (a long run's few thousand: for its flow figures). */
export async function allCases(app: FastifyInstance): Promise<Case[]> {
  const cases: Case[] = [];
  const page = 1000;
  for (let offset = 0; ; offset += page) {
    const { items } = await app.storage.listCases({ limit: page, offset });
    cases.push(...items);
    if (items.length < page) return cases;
  }
}
