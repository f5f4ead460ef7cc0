/**
 * The parent's handle on a benchmark child forked over Node's IPC channel (load generator, device
 * publisher, device fleet): send a command, await the next answer of a given type, stop or kill it.
 * Benchmarks put their publishers in a child so that publishing competes with the server only for
 * the machine's cores, not for the parent's event loop.
 *
 * Every child speaks the same small contract: answers are objects with a `type`, and a child that
 * cannot go on says `{ type: 'failed', error }` before it exits. Either that or the exit rejects
 * every pending wait with the reason, so a benchmark never hangs on a dead child.
 */
import { fork, type ChildProcess } from 'node:child_process';

/** What a child says when it cannot go on, before it exits. */
export interface FailedMessage {
  type: 'failed';
  error: string;
}

/** A phase (a numbered step of a benchmark) has begun in the child. */
export interface StartedMessage {
  type: 'started';
  id: number;
}

/** An answer of type `T` from a child whose answers are `From`. */
export type Answer<From extends { type: string }, T extends From['type']> = Extract<From, { type: T }>;

export interface ChildOptions<To> {
  /** What the child is called in error messages ("load generator", "publisher", "fleet"). */
  name: string;
  /** The command that asks the child to close its connections and exit. */
  stop: To;
  /** How long `stop()` waits for the child to exit before killing it. */
  stopGraceMs: number;
}

interface Waiter<From> {
  /** Takes `message` if it is the awaited answer, resolving the wait; false if it is not. */
  offer(message: From): boolean;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/** Both directions carry objects tagged by `type`, which Node's IPC serialises as JSON. */
export class ChildHandle<From extends { type: string }, To extends { type: string }> {
  /** The child's pid, for reading its CPU. */
  readonly pid: number | undefined;
  private readonly child: ChildProcess;
  private readonly options: ChildOptions<To>;
  private waiters: Waiter<From>[] = [];
  private exitedFlag = false;

  /** Forks `module`; the child inherits this process's tsx loader through execArgv. */
  static fork<From extends { type: string }, To extends { type: string }>(module: URL, options: ChildOptions<To>): ChildHandle<From, To> {
    return new ChildHandle<From, To>(module, options);
  }

  /** Protected so that a benchmark's own handle can extend this one and fork its child itself. */
  protected constructor(module: URL, options: ChildOptions<To>) {
    this.options = options;
    // Output goes straight to the parent's terminal; stdin is not used, commands come over IPC.
    this.child = fork(module, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.pid = this.child.pid;
    this.child.on('message', (raw) => this.receive(raw as From));
    this.child.on('exit', (code, signal) => {
      this.exitedFlag = true;
      this.failAll(new Error(`${options.name} exited (${signal ?? code})`));
    });
    // A failed spawn or a send to a closed channel emits 'error'; unhandled it would end the parent.
    this.child.on('error', (err) => this.failAll(new Error(`${options.name}: ${err.message}`)));
  }

  /** Whether the child has exited (after which every wait fails at once). */
  get exited(): boolean {
    return this.exitedFlag;
  }

  send(message: To): void {
    this.child.send(message);
  }

  /** Sends `command` and waits for the answer of `type`, registered first so it cannot be missed. */
  ask<T extends From['type']>(command: To, type: T, timeoutMs: number): Promise<Answer<From, T>> {
    const answer = this.next(type, timeoutMs);
    this.send(command);
    return answer;
  }

  /**
   * The next answer of `type` that `match` accepts (any of that type without one). Register before
   * sending the command: answers nobody waits for are dropped.
   */
  next<T extends From['type']>(type: T, timeoutMs: number, match?: (answer: Answer<From, T>) => boolean): Promise<Answer<From, T>> {
    if (this.exitedFlag) return Promise.reject(new Error(`${this.options.name} has exited`));
    const isAnswer = (message: From): message is Answer<From, T> => message.type === type;
    return new Promise<Answer<From, T>>((resolve, reject) => {
      const waiter: Waiter<From> = {
        offer: (message) => {
          if (!isAnswer(message) || (match !== undefined && !match(message))) return false;
          resolve(message);
          return true;
        },
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new Error(`${this.options.name}: no "${type}" within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Asks the child to close its connections and exit; kills it if it has not within the grace time. */
  async stop(): Promise<void> {
    if (this.exitedFlag) return;
    const exited = this.whenExited();
    this.send(this.options.stop);
    // A child that ignores its stop command is hung; SIGKILL is the one signal it cannot ignore.
    const timer = setTimeout(() => this.child.kill('SIGKILL'), this.options.stopGraceMs);
    await exited;
    clearTimeout(timer);
  }

  /** Terminates the child at once, for when it never became ready. */
  async kill(): Promise<void> {
    if (this.exitedFlag) return;
    const exited = this.whenExited();
    this.child.kill();
    await exited;
  }

  /** Registered before the stop or kill, so an exit that follows at once is not missed. */
  private whenExited(): Promise<void> {
    return new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
  }

  private receive(message: From): void {
    if (message.type === 'failed') {
      const reason = 'error' in message ? String(message.error) : 'no reason given';
      this.failAll(new Error(`${this.options.name} failed: ${reason}`));
      return;
    }
    // The oldest matching wait takes it; one answer settles one wait.
    const waiter = this.waiters.find((w) => w.offer(message));
    if (!waiter) return;
    this.waiters = this.waiters.filter((w) => w !== waiter);
    clearTimeout(waiter.timer);
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
