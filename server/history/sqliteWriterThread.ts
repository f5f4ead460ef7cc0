/**
 * The server's side of the history writer thread (sqliteWriterWorker.ts): packs each batch
 * (sqliteHistoryWriter.ts), posts it with its arrays transferred, and resolves once the thread
 * has committed it. Requests run in the order they are posted. A thread that dies fails what it
 * had pending (the recorder logs it) and the next request starts a new one, which is told every
 * series again.
 */
import type { TransferListItem, Worker } from 'node:worker_threads';
import { startBundledWorker } from '../../kernel/worker/bundledWorker';
import type { HistoryBatch } from './HistoryStore';
import type { Retention } from './rollup';
import { packBatch, SeriesKeys, type PackedBatch } from './sqliteHistoryWriter';

export interface WriterThreadData {
  path: string;
  /** A file URL to resolve better-sqlite3 from (the bundled worker has no location of its own). */
  requireFrom: string;
}

export type WriterRequest =
  | { type: 'write'; id: number; batch: PackedBatch }
  | { type: 'prune'; id: number; now: number; retention: Retention }
  | { type: 'close' };

export interface WriterReply {
  id: number;
  error?: string;
}

const ENTRY = new URL('./sqliteWriterWorker.ts', import.meta.url);

interface Running {
  worker: Worker;
  keys: SeriesKeys;
  pending: Map<number, { resolve: () => void; reject: (err: Error) => void }>;
}

export class SqliteWriterThread {
  private running: Promise<Running> | undefined;
  /** The running thread, once started (to tell a dead thread's events from its successor's). */
  private current: Running | undefined;
  /** Settles when the last request posted has (replies come in order). */
  private last: Promise<void> = Promise.resolve();
  private nextId = 1;
  private closed = false;

  constructor(private readonly path: string) {}

  async write(batch: HistoryBatch): Promise<void> {
    const run = await this.start();
    const packed = packBatch(batch, run.keys);
    // Fresh (not shared) buffers, handed over rather than copied.
    const transfer = [packed.readings, packed.rollups['1m'], packed.rollups['1h']].map((a) => a.buffer as ArrayBuffer);
    return this.request(run, (id) => ({ type: 'write', id, batch: packed }), transfer);
  }

  async prune(now: number, retention: Retention): Promise<void> {
    return this.request(await this.start(), (id) => ({ type: 'prune', id, now, retention }), []);
  }

  /** Waits for what is pending, then stops the thread (which closes its connection). */
  async close(): Promise<void> {
    this.closed = true;
    const running = this.running;
    this.running = undefined;
    const run = await running?.catch(() => undefined);
    await this.last;
    if (!run || this.current !== run) return;
    this.current = undefined;
    const exited = new Promise<void>((resolve) => run.worker.once('exit', () => resolve()));
    // Held until it has exited: an unreferenced thread would let a process with nothing else to
    // do end inside this await, before the caller's next line.
    run.worker.ref();
    run.worker.postMessage({ type: 'close' } satisfies WriterRequest);
    await exited;
  }

  private start(): Promise<Running> {
    if (this.closed) return Promise.reject(new Error('history writer thread is closed'));
    if (!this.running) {
      const running = this.spawn();
      this.running = running;
      // A thread that could not start is tried again on the next request.
      running.catch(() => {
        if (this.running === running) this.running = undefined;
      });
    }
    return this.running;
  }

  private async spawn(): Promise<Running> {
    const data: WriterThreadData = { path: this.path, requireFrom: import.meta.url };
    const worker = await startBundledWorker(ENTRY, data);
    const run: Running = { worker, keys: new SeriesKeys(), pending: new Map() };
    // Idle, the thread does not hold the process open; a pending request does (see request).
    worker.unref();
    const fail = (err: Error): void => {
      if (this.current === run) {
        this.current = undefined;
        this.running = undefined;
      }
      for (const p of run.pending.values()) p.reject(err);
      run.pending.clear();
    };
    worker.on('message', (reply: WriterReply) => {
      const p = run.pending.get(reply.id);
      if (!p) return;
      run.pending.delete(reply.id);
      if (run.pending.size === 0) worker.unref();
      if (reply.error === undefined) p.resolve();
      else p.reject(new Error(`history writer: ${reply.error}`));
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`history writer thread exited (code ${code})`)));
    this.current = run;
    return run;
  }

  private request(run: Running, make: (id: number) => WriterRequest, transfer: readonly TransferListItem[]): Promise<void> {
    const id = this.nextId++;
    const done = new Promise<void>((resolve, reject) => {
      if (this.current !== run) {
        reject(new Error('history writer thread is closed'));
        return;
      }
      run.pending.set(id, { resolve, reject });
      run.worker.ref();
      run.worker.postMessage(make(id), transfer);
    });
    this.last = done.catch(() => undefined);
    return done;
  }
}
