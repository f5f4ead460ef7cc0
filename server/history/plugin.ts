/**
 * Device history as `app.history` (a HistoryService; undefined with `history: false`): the store
 * (SQLite history.db beside the case database, or PostgreSQL when the cases use it), the
 * recorder registered as a change sink on the live state, and the retention timer. Closing the
 * app writes the last batch.
 */
import path from 'node:path';
import fp from 'fastify-plugin';
import { loadCityPlace } from '../cases/cityPlace';
import { Errors } from '../errors';
import { redactUrl } from '../storage/openStorage';
import { alarmDepartment } from './alarmDepartment';
import { HistoryRecorder } from './HistoryRecorder';
import { HistoryService } from './HistoryService';
import type { HistoryStore } from './HistoryStore';
import { PostgresHistoryStore } from './PostgresHistoryStore';
import { DEFAULT_RETENTION, type Retention } from './rollup';
import { SqliteHistoryStore } from './SqliteHistoryStore';

export const HISTORY_SQLITE_FILE = 'history.db';

export interface HistoryOptions {
  retention?: Partial<Retention>;
  /** Batch interval, default 1000 ms. */
  flushIntervalMs?: number;
  /** How often old data is pruned, default 1 h. */
  pruneIntervalMs?: number;
}

export interface HistoryPluginOptions extends HistoryOptions {
  enabled: boolean;
  /** The cases' PostgreSQL URL: history goes to the same database. */
  databaseUrl?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    history: HistoryService | undefined;
    historyRecorder: HistoryRecorder | undefined;
  }
}

export function checkRetention(wanted: Partial<Retention> | undefined): Retention {
  const retention = { ...DEFAULT_RETENTION, ...wanted };
  for (const [name, ms] of Object.entries(retention)) {
    if (!(Number.isFinite(ms) && ms >= 60_000)) throw new Errors.BadOption(`history: retention ${name} must be at least one minute`);
  }
  if (!(retention.rawMs <= retention['1mMs'] && retention['1mMs'] <= retention['1hMs'])) {
    throw new Errors.BadOption('history: retention must not shrink from raw to 1m to 1h');
  }
  return retention;
}

export default fp<HistoryPluginOptions>(
  async (app, opts) => {
    if (!opts.enabled) {
      app.decorate('history', undefined);
      app.decorate('historyRecorder', undefined);
      return;
    }
    const retention = checkRetention(opts.retention);
    let store: HistoryStore;
    try {
      store = opts.databaseUrl ? await PostgresHistoryStore.open(opts.databaseUrl, Date.now(), retention.rawMs) : new SqliteHistoryStore(path.join(app.dataDir, HISTORY_SQLITE_FILE));
    } catch (err) {
      const where = opts.databaseUrl ? redactUrl(opts.databaseUrl) : path.join(app.dataDir, HISTORY_SQLITE_FILE);
      throw new Errors.BadOption(`history: cannot open ${where}: ${(err as Error).message}`);
    }
    const place = await loadCityPlace(app.twin, app.dataDir);
    const recorder = new HistoryRecorder({
      store,
      flushIntervalMs: opts.flushIntervalMs,
      departmentOf: alarmDepartment(place),
      onError: (err) => app.log.error({ err }, 'history: a batch could not be written'),
    });
    app.live.addSink(recorder);
    const service = new HistoryService({ store, retention, terminals: app.twin.terminalById });
    app.decorate('history', service);
    app.decorate('historyRecorder', recorder);

    const prune = (): void => {
      store.prune(Date.now(), retention).catch((err: unknown) => app.log.error({ err }, 'history: pruning failed'));
    };
    prune();
    const pruneTimer = setInterval(prune, opts.pruneIntervalMs ?? 3_600_000).unref();
    app.addHook('onClose', async () => {
      clearInterval(pruneTimer);
      await recorder.close();
      await store.close();
    });
    app.log.info({ kind: store.kind, ...(store instanceof PostgresHistoryStore ? { rawLayout: store.layout } : {}) }, 'device history open');
  },
  { name: 'citytwin-history', fastify: '5.x', dependencies: ['citytwin-twin', 'citytwin-live'] },
);
