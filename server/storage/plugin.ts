/**
 * The case database as `app.storage`: SQLite in the data folder unless a PostgreSQL URL is given
 * (`storage: {kind: 'postgres', url}`, from DATABASE_URL or `--database`).
 */
import path from 'node:path';
import fp from 'fastify-plugin';
import { Errors } from '../errors';
import { openStorage, redactUrl } from './openStorage';
import type { Storage, StorageConfig } from './Storage';

export type StoragePluginOptions = { storage?: { kind: 'sqlite' } | { kind: 'postgres'; url: string } };

declare module 'fastify' {
  interface FastifyInstance {
    storage: Storage;
  }
}

export const SQLITE_FILE = 'cases.db';

export default fp<StoragePluginOptions>(
  async (app, opts) => {
    const wanted = opts.storage ?? { kind: 'sqlite' };
    const config: StorageConfig = wanted.kind === 'postgres' ? wanted : { kind: 'sqlite', path: path.join(app.dataDir, SQLITE_FILE) };
    let storage: Storage;
    try {
      storage = await openStorage(config);
    } catch (err) {
      const where = config.kind === 'postgres' ? redactUrl(config.url) : config.path;
      throw new Errors.BadOption(`storage: cannot open the ${config.kind} database ${where}: ${(err as Error).message}`);
    }
    app.decorate('storage', storage);
    app.addHook('onClose', async () => storage.close());
    app.log.info({ kind: storage.kind }, 'case storage open');
  },
  { name: 'citytwin-storage', fastify: '5.x' },
);
