/**
 * Scenario rows and the queue's SQL, shared by the SQLite and PostgreSQL adapters (they differ in
 * placeholders and in the claim's row lock). Times are ms since epoch; the cancel flag is 0/1.
 */
import { SCENARIO_STATUSES, type Scenario } from '../../domain/scenarios';
import type { Placeholder, SqlValue } from './rows';

export interface ScenarioRow {
  id: string;
  kind: string;
  name: string;
  params: string;
  status: string;
  progress: number;
  message: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  summary: string | null;
  files: string | null;
  error: string | null;
}

const list = (from: number, n: number, ph: Placeholder): string => Array.from({ length: n }, (_, i) => ph(from + i)).join(', ');

export function toScenario(row: ScenarioRow): Scenario {
  const scenario: Scenario = {
    id: row.id,
    kind: row.kind as Scenario['kind'],
    name: row.name,
    params: JSON.parse(row.params) as unknown,
    status: row.status as Scenario['status'],
    progress: Number(row.progress),
    createdAt: Number(row.created_at),
  };
  if (row.message !== null) scenario.message = row.message;
  if (row.started_at !== null) scenario.startedAt = Number(row.started_at);
  if (row.finished_at !== null) scenario.finishedAt = Number(row.finished_at);
  if (row.summary !== null) scenario.summary = JSON.parse(row.summary) as Record<string, unknown>;
  if (row.files !== null) scenario.files = JSON.parse(row.files) as string[];
  if (row.error !== null) scenario.error = row.error;
  return scenario;
}

/** The fields that change while a scenario runs, in the order updateScenarioSql binds them. */
function changingValues(s: Scenario): SqlValue[] {
  if (!SCENARIO_STATUSES.includes(s.status)) throw new RangeError(`scenario ${s.id}: unknown status ${String(s.status)}`);
  return [
    s.status,
    s.progress,
    s.message ?? null,
    s.startedAt ?? null,
    s.finishedAt ?? null,
    s.summary === undefined ? null : JSON.stringify(s.summary),
    s.files === undefined ? null : JSON.stringify(s.files),
    s.error ?? null,
  ];
}

export const QUEUED_COUNT_SQL = "SELECT COUNT(*) AS n FROM scenarios WHERE status = 'queued'";

export function insertScenarioSql(ph: Placeholder): string {
  return `INSERT INTO scenarios (id, kind, name, params, created_at, status, progress, message, started_at, finished_at, summary, files, error)
    VALUES (${list(1, 13, ph)})`;
}

export function insertScenarioValues(s: Scenario): SqlValue[] {
  return [s.id, s.kind, s.name, JSON.stringify(s.params ?? null), s.createdAt, ...changingValues(s)];
}

/**
 * Parameters: id, the changing fields, then (with `claimed`) the instance that must hold the claim.
 * A status other than running releases the claim.
 */
export function updateScenarioSql(ph: Placeholder, claimed: boolean): string {
  return `UPDATE scenarios SET status = ${ph(2)}, progress = ${ph(3)}, message = ${ph(4)}, started_at = ${ph(5)}, finished_at = ${ph(6)},
    summary = ${ph(7)}, files = ${ph(8)}, error = ${ph(9)},
    claimed_by = CASE WHEN ${ph(2)} = 'running' THEN claimed_by ELSE NULL END,
    heartbeat_at = CASE WHEN ${ph(2)} = 'running' THEN heartbeat_at ELSE NULL END
    WHERE id = ${ph(1)}${claimed ? ` AND claimed_by = ${ph(10)} AND status = 'running'` : ''}`;
}

export function updateScenarioValues(s: Scenario, claimedBy?: string): SqlValue[] {
  return [s.id, ...changingValues(s), ...(claimedBy === undefined ? [] : [claimedBy])];
}

export function listScenariosSql(ph: Placeholder, byKind: boolean): string {
  return `SELECT * FROM scenarios ${byKind ? `WHERE kind = ${ph(2)} ` : ''}ORDER BY created_at DESC, id DESC LIMIT ${ph(1)}`;
}

/**
 * Parameters: instance, now, then the kinds. `rowLock` is PostgreSQL's `FOR UPDATE SKIP LOCKED`:
 * a second instance skips the row the first is claiming instead of waiting for it.
 */
export function claimScenarioSql(ph: Placeholder, kinds: number, rowLock: string): string {
  return `UPDATE scenarios SET status = 'running', progress = 0, message = NULL, started_at = ${ph(2)}, claimed_by = ${ph(1)},
    heartbeat_at = ${ph(2)}, cancel_requested = 0
    WHERE status = 'queued' AND id = (
      SELECT id FROM scenarios WHERE status = 'queued' AND kind IN (${list(3, kinds, ph)})
      ORDER BY created_at, id LIMIT 1${rowLock}
    ) RETURNING *`;
}

/** Parameters: id, instance, now, progress, message (null keeps the last one). */
export function heartbeatSql(ph: Placeholder): string {
  return `UPDATE scenarios SET heartbeat_at = ${ph(3)}, progress = ${ph(4)}, message = COALESCE(${ph(5)}, message)
    WHERE id = ${ph(1)} AND claimed_by = ${ph(2)} AND status = 'running' RETURNING cancel_requested`;
}

export const CANCELLED_BEFORE_START = 'cancelled before it started';

/** Parameters: id, now. Run before cancelFlagSql, so a scenario claimed in between is flagged. */
export function cancelQueuedSql(ph: Placeholder): string {
  return `UPDATE scenarios SET status = 'cancelled', message = '${CANCELLED_BEFORE_START}', finished_at = ${ph(2)}
    WHERE id = ${ph(1)} AND status = 'queued'`;
}

export function cancelFlagSql(ph: Placeholder): string {
  return `UPDATE scenarios SET cancel_requested = 1 WHERE id = ${ph(1)} AND status = 'running'`;
}

/** Parameters: stale before, now. */
export function expireScenariosSql(ph: Placeholder): string {
  return `UPDATE scenarios SET status = 'failed', error = 'interrupted: instance ' || claimed_by || ' stopped', finished_at = ${ph(2)},
    claimed_by = NULL, heartbeat_at = NULL
    WHERE status = 'running' AND heartbeat_at < ${ph(1)} RETURNING *`;
}

export function insertFilePartSql(ph: Placeholder): string {
  return `INSERT INTO scenario_files (scenario_id, name, part, bytes) VALUES (${list(1, 4, ph)})`;
}

export function fileSizeSql(ph: Placeholder): string {
  return `SELECT COUNT(*) AS parts, SUM(LENGTH(bytes)) AS size FROM scenario_files WHERE scenario_id = ${ph(1)} AND name = ${ph(2)}`;
}

export function filePartSql(ph: Placeholder): string {
  return `SELECT bytes FROM scenario_files WHERE scenario_id = ${ph(1)} AND name = ${ph(2)} AND part = ${ph(3)}`;
}

/**
 * Feeds `parts` to `insert` as numbered parts of at most `partBytes` (re-cut, so a caller's chunk
 * size does not matter); an empty file is stored as one empty part so it still exists.
 */
export async function storeParts(parts: AsyncIterable<Uint8Array>, partBytes: number, insert: (part: number, bytes: Buffer) => Promise<void>): Promise<number> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let part = 0;
  let size = 0;
  for await (const chunk of parts) {
    size += chunk.byteLength;
    pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    pendingBytes += chunk.byteLength;
    while (pendingBytes >= partBytes) {
      const all = Buffer.concat(pending);
      await insert(part++, all.subarray(0, partBytes));
      pending = [all.subarray(partBytes)];
      pendingBytes = all.byteLength - partBytes;
    }
  }
  if (pendingBytes > 0 || part === 0) await insert(part, Buffer.concat(pending));
  return size;
}

/** Reads parts 0..count-1 one query at a time, as the consumer pulls them. */
export async function* readParts(what: string, count: number, read: (part: number) => Promise<Buffer | undefined>): AsyncIterable<Buffer> {
  for (let part = 0; part < count; part++) {
    const bytes = await read(part);
    // The scenario was deleted while its file was being sent.
    if (!bytes) throw new Error(`scenario file ${what} vanished while it was read (part ${part} of ${count})`);
    yield bytes;
  }
}
