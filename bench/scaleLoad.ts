/**
 * The scale benchmark's load generator as seen from the parent: the messages exchanged with the
 * forked generator (scaleGenerator.ts) over Node's IPC channel, and a handle that sends a command
 * and awaits its answer. The generator runs in its own process so that publishing competes with
 * the servers only for the machine's cores, not for the parent's event loop, and so that its CPU
 * can be reported on its own.
 */
import type { TerminalType } from '../domain/terminals';
import { ChildHandle } from './support/childProcess';

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

/**
 * The generator's handle: `ask`, `next`, `pid` and `stop` come from ChildHandle. It asks 5 s of
 * grace on stop, enough to close its publisher connections.
 */
export class LoadGenerator extends ChildHandle<FromGenerator, ToGenerator> {
  private constructor() {
    super(new URL('./scaleGenerator.ts', import.meta.url), { name: 'load generator', stop: { type: 'stop' }, stopGraceMs: 5000 });
  }

  /** Forks the generator and connects its publishers. */
  static async start(init: InitCommand): Promise<LoadGenerator> {
    const generator = new LoadGenerator();
    try {
      await generator.ask(init, 'ready', 60_000);
    } catch (err) {
      await generator.stop();
      throw err;
    }
    return generator;
  }
}
