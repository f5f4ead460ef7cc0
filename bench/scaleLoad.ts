/**
 * The scale benchmark's load generator as seen from the parent: the messages exchanged with the
 * forked generator (scaleGenerator.ts) over Node's IPC channel, and a handle that sends a command
 * and awaits its answer. The generator runs in its own process so that publishing competes with
 * the servers only for the machine's cores, not for the parent's event loop, and so that its CPU
 * can be reported on its own.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { TerminalType } from '../domain/terminals';

export interface SimulatedDevice {
  id: string;
  type: TerminalType;
}

export interface InitCommand {
  type: 'init';
  mqttUrl: string;
  /** Publisher connections the devices are spread over (device i on connection i mod n). */
  connections: number;
  devices: SimulatedDevice[];
  seed: number;
}

/** The first `devices` devices each publish QoS 1 telemetry once every `intervalMs`, evenly spread. */
export interface LoadCommand {
  type: 'load';
  id: number;
  devices: number;
  intervalMs: number;
  durationS: number;
}

/** Report the PUBACKs of the last load, waiting up to `waitMs` for those still outstanding. */
export interface AcksCommand {
  type: 'acks';
  id: number;
  waitMs: number;
}

export interface StopCommand {
  type: 'stop';
}

export type ToGenerator = InitCommand | LoadCommand | AcksCommand | StopCommand;

export interface ReadyAnswer {
  type: 'ready';
}

export interface StartedAnswer {
  type: 'started';
  id: number;
  /** Date.now() just before the first publish: device timestamps of this load are ≥ it. */
  at: number;
}

export interface PublishedAnswer {
  type: 'published';
  id: number;
  sent: number;
  /** First to last publish call. */
  seconds: number;
  /** The generator's CPU over the window, as a share of one core (1 = a full core). */
  cpuShare: number;
}

export interface AcksAnswer {
  type: 'acks';
  id: number;
  acked: number;
  /** Publishes that ended in an error (connection lost, refused). */
  failed: number;
}

export interface FailedAnswer {
  type: 'failed';
  error: string;
}

export type FromGenerator = ReadyAnswer | StartedAnswer | PublishedAnswer | AcksAnswer | FailedAnswer;

type Answer<T extends FromGenerator['type']> = Extract<FromGenerator, { type: T }>;

interface Waiter {
  type: FromGenerator['type'];
  resolve(message: FromGenerator): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class LoadGenerator {
  private waiters: Waiter[] = [];
  private exited = false;
  /** The child's pid, for reading its CPU. */
  readonly pid: number | undefined;

  private constructor(private readonly child: ChildProcess) {
    this.pid = child.pid;
    child.on('message', (raw) => {
      const message = raw as FromGenerator;
      if (message.type === 'failed') return this.failAll(new Error(`load generator failed: ${message.error}`));
      const waiter = this.waiters.find((w) => w.type === message.type);
      if (!waiter) return;
      this.waiters = this.waiters.filter((w) => w !== waiter);
      clearTimeout(waiter.timer);
      waiter.resolve(message);
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      this.failAll(new Error(`load generator exited (${signal ?? code})`));
    });
  }

  /** Forks the generator (it inherits the tsx loader through execArgv) and connects its publishers. */
  static async start(init: InitCommand): Promise<LoadGenerator> {
    const child = fork(new URL('./scaleGenerator.ts', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const generator = new LoadGenerator(child);
    try {
      await generator.ask(init, 'ready', 60_000);
    } catch (err) {
      await generator.stop();
      throw err;
    }
    return generator;
  }

  /** Sends `command` and waits for the answer of `type`. */
  ask<T extends FromGenerator['type']>(command: ToGenerator, type: T, timeoutMs: number): Promise<Answer<T>> {
    const answer = this.next(type, timeoutMs);
    this.child.send(command);
    return answer;
  }

  /** Waits for an answer to a command already sent. */
  next<T extends FromGenerator['type']>(type: T, timeoutMs: number): Promise<Answer<T>> {
    if (this.exited) return Promise.reject(new Error('load generator has exited'));
    return new Promise<Answer<T>>((resolve, reject) => {
      const waiter: Waiter = {
        type,
        resolve: (m) => resolve(m as Answer<T>),
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new Error(`load generator: no "${type}" within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Asks the generator to close its connections and exit; kills it if it has not within 5 s. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' } satisfies ToGenerator);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
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
