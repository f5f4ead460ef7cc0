/** What each storage contract test gets: a Storage and raw access to the same database. */
import type { Storage } from '../../server/storage/Storage';

export interface StorageHarness {
  storage: Storage;
  /** Raw SQL on the same database, bypassing the interface. */
  exec(sql: string): Promise<void>;
  /** Closes and opens the same database again (migrations must not rerun). */
  reopen(): Promise<Storage>;
  /**
   * A second Storage on the same database, as a second server instance would open it (the caller
   * closes it). Absent where one process owns the database (SQLite).
   */
  openSecond?(): Promise<Storage>;
  cleanup(): Promise<void>;
}
