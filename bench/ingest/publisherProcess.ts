/**
 * The parent's handle on the forked device publisher (publisher.ts): send a command, await the
 * answer of a given type. The child inherits this process's tsx loader through execArgv.
 * If the child fails or exits, every wait is rejected with the reason.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { FromPublisher, InitMessage, ToPublisher } from './protocol';

type Answer<T extends FromPublisher['type']> = Extract<FromPublisher, { type: T }>;

interface Waiter {
  match(message: FromPublisher): boolean;
  resolve(message: FromPublisher): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class PublisherProcess {
  private waiters: Waiter[] = [];
  private exited = false;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (raw) => {
      const message = raw as FromPublisher;
      if (message.type === 'failed') return this.failAll(new Error(`publisher failed: ${message.error}`));
      const waiter = this.waiters.find((w) => w.match(message));
      if (!waiter) return;
      this.waiters = this.waiters.filter((w) => w !== waiter);
      clearTimeout(waiter.timer);
      waiter.resolve(message);
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      this.failAll(new Error(`publisher exited (${signal ?? code})`));
    });
  }

  static async start(init: InitMessage): Promise<PublisherProcess> {
    const child = fork(new URL('./publisher.ts', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const publisher = new PublisherProcess(child);
    try {
      const ready = publisher.next('ready', undefined, 30_000);
      publisher.send(init);
      const answer = await ready;
      if (answer.snapshotTerminals !== init.terminals.length) {
        throw new Error(`live snapshot has ${answer.snapshotTerminals} terminals, the twin ${init.terminals.length}`);
      }
    } catch (err) {
      await publisher.kill();
      throw err;
    }
    return publisher;
  }

  send(message: ToPublisher): void {
    this.child.send(message);
  }

  /** The next answer of this type (and phase id, when given). Register before sending the command. */
  next<T extends FromPublisher['type']>(type: T, id: number | undefined, timeoutMs: number): Promise<Answer<T>> {
    if (this.exited) return Promise.reject(new Error('publisher has exited'));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match: (m) => m.type === type && (id === undefined || ('id' in m && m.id === id)),
        resolve: (m) => resolve(m as Answer<T>),
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new Error(`publisher: no "${type}" within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Asks the publisher to close its clients and exit; kills it if it does not within 5 s. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.send({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill(), 5000);
    await exited;
    clearTimeout(timer);
  }

  async kill(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill();
    await exited;
  }

  private failAll(err: Error): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      clearTimeout(w.timer);
      w.reject(err);
    }
  }
}
