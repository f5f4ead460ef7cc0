/**
 * The device history's writer thread (started by SqliteWriterThread in sqliteWriterThread.ts):
 * its own connection to history.db, one packed batch or prune per message, one reply per message
 * once it is committed. Runs bundled from a data: URL (kernel/worker/bundledWorker.ts), so the
 * native better-sqlite3 is required from the path the parent names, not imported.
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { configureHistoryConnection, SqliteHistoryWriter } from './sqliteHistoryWriter';
import type { WriterReply, WriterRequest, WriterThreadData } from './sqliteWriterThread';

const data = workerData as WriterThreadData;
const Database = createRequire(data.requireFrom)('better-sqlite3') as typeof import('better-sqlite3');
const db = new Database(data.path);
configureHistoryConnection(db);
const writer = new SqliteHistoryWriter(db);
const port = parentPort!;

port.on('message', (req: WriterRequest) => {
  if (req.type === 'close') {
    db.close();
    port.close();
    return;
  }
  let reply: WriterReply;
  try {
    if (req.type === 'write') writer.write(req.batch);
    else writer.prune(req.now, req.retention);
    reply = { id: req.id };
  } catch (err) {
    reply = { id: req.id, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});
