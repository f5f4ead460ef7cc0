/**
 * Mutual exclusion by name inside one process: callers of a name run one after another, in call
 * order; different names do not wait for each other. SQLite's `withLock` is exactly this (one
 * process per database file); PostgreSQL's queues here first, so a process holds at most one
 * database connection per name while it waits for the advisory lock.
 */
export class NamedMutex {
  /** The tail of each name's chain; removed when its last caller settles, so names do not pile up. */
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const before = this.tails.get(name) ?? Promise.resolve();
    const result = before.then(fn);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(name, tail);
    void tail.then(() => {
      if (this.tails.get(name) === tail) this.tails.delete(name);
    });
    return result;
  }
}
