/**
 * The parent's handle on the forked device fleet (fleet.ts): send a command, await the answer of
 * a given type. The child inherits this process's tsx loader through execArgv. If the child fails
 * or exits, every wait is rejected with the reason.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { FromFleet, ToFleet } from './protocol';

type Answer<T extends FromFleet['type']> = Extract<FromFleet, { type: T }>;

interface Waiter {
  type: FromFleet['type'];
  resolve(message: FromFleet): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class FleetProcess {
  private waiters: Waiter[] = [];
  private readonly child: ChildProcess;

  constructor() {
    this.child = fork(new URL('./fleet.ts', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (raw) => {
      const message = raw as FromFleet;
      if (message.type === 'failed') return this.failAll(new Error(`fleet failed: ${message.error}`));
      const waiter = this.waiters.find((w) => w.type === message.type);
      if (!waiter) return;
      this.waiters = this.waiters.filter((w) => w !== waiter);
      clearTimeout(waiter.timer);
      waiter.resolve(message);
    });
    this.child.on('exit', (code, signal) => this.failAll(new Error(`fleet exited (${signal ?? code})`)));
  }

  /** Sends `command` and waits for the answer of `type`. */
  ask<T extends FromFleet['type']>(command: ToFleet, type: T, timeoutMs: number): Promise<Answer<T>> {
    const answer = new Promise<Answer<T>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`fleet: no "${type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push({ type, resolve: (m) => resolve(m as Answer<T>), reject, timer });
    });
    this.child.send(command);
    return answer;
  }

  /** Waits for an answer to a command already sent. */
  next<T extends FromFleet['type']>(type: T, timeoutMs: number): Promise<Answer<T>> {
    return new Promise<Answer<T>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fleet: no "${type}" within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ type, resolve: (m) => resolve(m as Answer<T>), reject, timer });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' } satisfies ToFleet);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  private failAll(err: Error): void {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(err);
    }
    this.waiters = [];
  }
}
