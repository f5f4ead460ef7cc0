/**
 * Opens the configured storage: SQLite in the data folder by default, PostgreSQL for a
 * `postgres://` URL. Checks the configuration and names what is wrong.
 */
import { PostgresStorage } from './PostgresStorage';
import { SqliteStorage } from './SqliteStorage';
import type { Storage, StorageConfig } from './Storage';

export async function openStorage(config: StorageConfig): Promise<Storage> {
  if (config.kind === 'sqlite') return new SqliteStorage(config.path);
  if (!/^postgres(ql)?:\/\//.test(config.url)) {
    throw new RangeError(`database URL must start with postgres:// or postgresql://, got "${redactUrl(config.url)}"`);
  }
  return PostgresStorage.open(config.url);
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@');
}
