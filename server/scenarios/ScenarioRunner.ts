/**
 * Runs scenarios from the queue every server instance shares (the database, see
 * server/storage/scenarioStorage.ts): each instance claims the oldest queued scenario of a kind
 * it knows and runs at most one at a time, because a run already uses every core (the kinds
 * split their work over worker threads) of a machine that also serves the live feed.
 *
 * An idle instance polls the queue every `pollMs`, and at once after a submit of its own. While
 * running it heartbeats every `heartbeatMs`, storing the progress and reading the cancel flag
 * that any instance may set; an instance whose heartbeat is older than `leaseMs` has stopped,
 * and whichever instance notices marks its run failed. The kind writes its results into a
 * temporary folder; they go into the database when it succeeds, so every instance serves them.
 *
 * Progress reaches listeners at most every `progressIntervalMs`; status changes always do. Every
 * run is bounded by `maxRunMs`, so a runaway parameter set cannot hold an instance forever. On
 * shutdown the running scenario goes back to the queue for another instance (or this one after
 * its restart).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isFinished, type Scenario } from '../../domain/scenarios';
import type { TwinIndex } from '../twin/TwinIndex';
import type { ScenarioKind, ScenarioKindName } from './ScenarioKind';
import { DEFAULT_MAX_RESULT_BYTES, ScenarioStore } from './ScenarioStore';

export interface ScenarioRunnerOptions {
  store: ScenarioStore;
  twin: TwinIndex;
  kinds: ReadonlyArray<ScenarioKind>;
  /** This server instance's id, recorded on the scenarios it claims. */
  instanceId: string;
  /** Called on every forwarded change (status, progress). */
  onChange(scenario: Scenario): void;
  /** A run failed, or the queue could not be read (then without a scenario). */
  onError(err: unknown, scenario?: Scenario): void;
  progressIntervalMs?: number;
  maxRunMs?: number;
  /** Queued (not running) scenarios, on all instances together, allowed before new ones are refused. */
  maxQueued?: number;
  /** How often an idle instance looks for queued work; default 1 s. */
  pollMs?: number;
  /** How often a running scenario's instance reports in and reads the cancel flag; default 1 s. */
  heartbeatMs?: number;
  /** Silence after which a run's instance counts as stopped; default 30 s. */
  leaseMs?: number;
  /** Bound on one scenario's result files together; default 256 MB. */
  maxResultBytes?: number;
}

export class QueueFullError extends Error {}

const CANCELLED = 'cancelled';
/** The abort reason when this instance no longer holds the claim: someone else owns the row now. */
const CLAIM_LOST = 'claim lost';
const SHUTDOWN = 'server shutting down';

interface Running {
  scenario: Scenario;
  abort: AbortController;
}

export class ScenarioRunner {
  private readonly kinds: Map<ScenarioKindName, ScenarioKind>;
  private readonly store: ScenarioStore;
  private running: Running | undefined;
  private closed = false;
  /** The running scenario's whole life, including storing its outcome. */
  private idle: Promise<void> = Promise.resolve();
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private readonly progressIntervalMs: number;
  private readonly maxRunMs: number;
  private readonly maxQueued: number;
  private readonly pollMs: number;
  private readonly heartbeatMs: number;
  private readonly leaseMs: number;
  private readonly maxResultBytes: number;

  constructor(private readonly opts: ScenarioRunnerOptions) {
    this.kinds = new Map(opts.kinds.map((k) => [k.kind, k]));
    this.store = opts.store;
    this.progressIntervalMs = opts.progressIntervalMs ?? 250;
    this.maxRunMs = opts.maxRunMs ?? 30 * 60_000;
    this.maxQueued = opts.maxQueued ?? 20;
    this.pollMs = opts.pollMs ?? 1000;
    this.heartbeatMs = opts.heartbeatMs ?? 1000;
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.maxResultBytes = opts.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
    if (this.leaseMs < 3 * this.heartbeatMs) throw new RangeError(`leaseMs (${this.leaseMs}) must be at least three heartbeats (${3 * this.heartbeatMs} ms)`);
  }

  kindNames(): ScenarioKindName[] {
    return [...this.kinds.keys()];
  }

  /** The kinds this instance runs, with their params schemas (the API documents them). */
  kindDefs(): ScenarioKind[] {
    return [...this.kinds.values()];
  }

  hasKind(kind: string): kind is ScenarioKindName {
    return this.kinds.has(kind as ScenarioKindName);
  }

  /** The id of the scenario this instance is running, if any. */
  runningId(): string | undefined {
    return this.running?.scenario.id;
  }

  /** Starts looking for queued scenarios. */
  start(): void {
    this.poll();
  }

  /** Validates params (throws ScenarioParamsError), queues the scenario and looks for work at once. */
  async submit(kind: ScenarioKindName, name: string, rawParams: unknown): Promise<Scenario> {
    const def = this.kinds.get(kind);
    if (!def) throw new Error(`unknown scenario kind ${kind}`);
    const params = def.parseParams(rawParams);
    await def.checkAgainstTwin?.(params, this.opts.twin);
    const scenario: Scenario = { id: ScenarioStore.newId(), kind, name, params, status: 'queued', progress: 0, createdAt: Date.now() };
    if (!(await this.store.storage.insertScenario(scenario, this.maxQueued))) {
      throw new QueueFullError(`${this.maxQueued} scenarios are already waiting; try again later`);
    }
    this.opts.onChange(scenario);
    this.poll();
    return scenario;
  }

  /**
   * A queued scenario is cancelled at once; a running one is flagged, and the instance running it
   * stops within a heartbeat (this one at once). Returns the scenario as it is now.
   */
  async cancel(id: string): Promise<Scenario | undefined> {
    const before = await this.store.get(id);
    if (!before || isFinished(before.status)) return before;
    const after = await this.store.storage.requestScenarioCancel(id, Date.now());
    if (this.running?.scenario.id === id) this.running.abort.abort(new Error(CANCELLED));
    if (before.status === 'queued' && after?.status === 'cancelled') this.opts.onChange(after);
    return after;
  }

  /**
   * Removes a scenario with its files; a queued or running one is cancelled first. A run on
   * another instance stops at its next heartbeat, when it finds the row gone.
   */
  async remove(id: string): Promise<boolean> {
    const scenario = await this.store.get(id);
    if (!scenario) return false;
    if (!isFinished(scenario.status)) {
      await this.cancel(id);
      if (this.running?.scenario.id === id) await this.idle;
    }
    return this.store.storage.deleteScenario(id);
  }

  /** Stops polling and hands the running scenario back to the queue. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.pollTimer);
    this.running?.abort.abort(new Error(SHUTDOWN));
    await this.polling;
    await this.idle;
  }

  /** Looks for work now; a call during a look makes it look once more when done. */
  private poll(): void {
    if (this.closed) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    clearTimeout(this.pollTimer);
    this.polling = this.pollOnce()
      .catch((err: unknown) => this.opts.onError(err))
      .finally(() => {
        this.polling = undefined;
        if (this.closed) return;
        if (this.pollAgain && !this.running) {
          this.pollAgain = false;
          this.poll();
        } else if (!this.running) {
          this.pollTimer = setTimeout(() => this.poll(), this.pollMs);
          this.pollTimer.unref();
        }
      });
  }

  private async pollOnce(): Promise<void> {
    const now = Date.now();
    for (const expired of await this.store.storage.expireScenarios(now - this.leaseMs, now)) this.opts.onChange(expired);
    if (this.running || this.closed) return;
    const claimed = await this.store.storage.claimNextScenario(this.opts.instanceId, now, this.kindNames());
    if (!claimed) return;
    this.idle = this.execute(claimed).finally(() => {
      this.running = undefined;
      this.poll();
    });
  }

  private async execute(claimed: Scenario): Promise<void> {
    const def = this.kinds.get(claimed.kind)!;
    const abort = new AbortController();
    let scenario = claimed;
    this.running = { scenario, abort };
    const timer = setTimeout(() => abort.abort(new Error(`ran longer than ${Math.round(this.maxRunMs / 1000)} s`)), this.maxRunMs);
    timer.unref();
    const stopHeartbeat = this.heartbeat(() => scenario, abort);
    this.opts.onChange(scenario);

    let lastForward = 0;
    const onProgress = (fraction: number, message?: string): void => {
      scenario = { ...scenario, progress: Math.min(1, Math.max(0, fraction)), ...(message ? { message } : {}) };
      const now = Date.now();
      if (now - lastForward < this.progressIntervalMs) return;
      lastForward = now;
      this.opts.onChange(scenario);
    };
    // Claimed while close() was waiting for the poll: straight back to the queue.
    if (this.closed) abort.abort(new Error(SHUTDOWN));
    let outDir: string | undefined;
    try {
      if (abort.signal.aborted) throw abort.signal.reason;
      outDir = await mkdtemp(path.join(tmpdir(), `citytwin-${scenario.id}-`));
      const outcome = await def.run(scenario.params, { twin: this.opts.twin, outDir, onProgress, signal: abort.signal });
      if (abort.signal.aborted) throw abort.signal.reason;
      await this.store.saveResults(scenario.id, outDir, outcome.files, this.maxResultBytes);
      if (abort.signal.aborted) throw abort.signal.reason;
      await this.finish(scenario, { status: 'done', progress: 1, summary: outcome.summary, files: outcome.files, message: undefined });
    } catch (err) {
      await this.stopped(scenario, abort.signal, err);
    } finally {
      clearTimeout(timer);
      await stopHeartbeat();
      if (outDir) await rm(outDir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** Records how a run ended when it did not succeed; partial results are no use to anyone. */
  private async stopped(scenario: Scenario, signal: AbortSignal, err: unknown): Promise<void> {
    const reason = signal.aborted ? ((signal.reason as Error | undefined)?.message ?? CANCELLED) : undefined;
    if (reason === CLAIM_LOST) return;
    await this.store.storage.deleteScenarioFiles(scenario.id).catch(() => undefined);
    if (reason === SHUTDOWN) {
      const requeued: Scenario = { ...scenario, status: 'queued', progress: 0, message: `handed back: instance ${this.opts.instanceId} shut down` };
      delete requeued.startedAt;
      if (await this.store.storage.updateScenario(requeued, this.opts.instanceId)) this.opts.onChange(requeued);
    } else if (reason === CANCELLED) {
      await this.finish(scenario, { status: 'cancelled', message: CANCELLED });
    } else if (reason !== undefined) {
      await this.finish(scenario, { status: 'failed', error: reason, message: reason });
    } else {
      this.opts.onError(err, scenario);
      await this.finish(scenario, { status: 'failed', error: (err as Error).message ?? String(err) });
    }
  }

  /**
   * Reports in every heartbeatMs until stopped: stores the progress, aborts the run when a cancel
   * was requested or the claim is gone. A failed heartbeat (database away) is retried; the lease
   * gives it leaseMs before other instances give the run up.
   */
  private heartbeat(current: () => Scenario, abort: AbortController): () => Promise<void> {
    let stop = false;
    let wake: (() => void) | undefined;
    const loop = (async () => {
      while (!stop) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, this.heartbeatMs).unref();
        });
        if (stop) break;
        const { id, progress, message } = current();
        try {
          const beat = await this.store.storage.heartbeatScenario(id, this.opts.instanceId, Date.now(), progress, message);
          if (!beat) abort.abort(new Error(CLAIM_LOST));
          else if (beat.cancelRequested) abort.abort(new Error(CANCELLED));
        } catch (err) {
          this.opts.onError(err);
        }
      }
    })();
    return async () => {
      stop = true;
      wake?.();
      await loop;
    };
  }

  /** Stores the final state, if this instance still holds the claim, and tells listeners. */
  private async finish(scenario: Scenario, change: Partial<Scenario>): Promise<void> {
    const done: Scenario = { ...scenario, ...change, finishedAt: Date.now() };
    for (const key of Object.keys(done) as Array<keyof Scenario>) if (done[key] === undefined) delete done[key];
    if (await this.store.storage.updateScenario(done, this.opts.instanceId)) this.opts.onChange(done);
    else await this.store.storage.deleteScenarioFiles(done.id).catch(() => undefined);
  }
}
