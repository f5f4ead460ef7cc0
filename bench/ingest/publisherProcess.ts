/**
 * The parent's handle on the forked device publisher (publisher.ts): send a command, await the
 * answer of a given type and phase. Forking, the failed/exit handling and stopping are
 * ChildHandle's; this adds the start-up check and waits matched by phase id, since the ingest
 * benchmark registers a phase's `started`, `published` and `collected` before sending it.
 */
import { ChildHandle, type Answer } from '../support/childProcess';
import type { FromPublisher, InitMessage, ToPublisher } from './protocol';

export class PublisherProcess {
  private constructor(private readonly child: ChildHandle<FromPublisher, ToPublisher>) {}

  /** Forks the publisher, sends it the twin's terminals and waits until it has the live snapshot. */
  static async start(init: InitMessage): Promise<PublisherProcess> {
    const child = ChildHandle.fork<FromPublisher, ToPublisher>(new URL('./publisher.ts', import.meta.url), {
      name: 'publisher',
      stop: { type: 'stop' },
      stopGraceMs: 5000,
    });
    try {
      const answer = await child.ask(init, 'ready', 30_000);
      // A snapshot of another size means the publisher reached a server with another twin.
      if (answer.snapshotTerminals !== init.terminals.length) {
        throw new Error(`live snapshot has ${answer.snapshotTerminals} terminals, the twin ${init.terminals.length}`);
      }
    } catch (err) {
      await child.kill();
      throw err;
    }
    return new PublisherProcess(child);
  }

  send(message: ToPublisher): void {
    this.child.send(message);
  }

  /** The next answer of this type (and phase id, when given). Register before sending the command. */
  next<T extends FromPublisher['type']>(type: T, id: number | undefined, timeoutMs: number): Promise<Answer<FromPublisher, T>> {
    if (id === undefined) return this.child.next(type, timeoutMs);
    return this.child.next(type, timeoutMs, (answer) => 'id' in answer && answer.id === id);
  }

  /** Asks the publisher to close its clients and exit; kills it if it does not within 5 s. */
  stop(): Promise<void> {
    return this.child.stop();
  }

  kill(): Promise<void> {
    return this.child.kill();
  }
}
