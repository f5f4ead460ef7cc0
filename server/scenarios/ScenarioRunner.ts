/**
 * Runs scenarios one at a time, in submission order. One at a time because a run already uses
 * every core (the cores split their work over worker threads); a queue keeps a burst of requests
 * from oversubscribing the machine that also serves the live feed.
 *
 * Progress reaches listeners at most every `progressIntervalMs`; status changes always do.
 * Cancelling aborts the kind's AbortSignal (queued runs are simply dropped), and every run is
 * bounded by `maxRunMs` so a runaway parameter set cannot hold the queue forever.
 */
import { mkdir, rm } from 'node:fs/promises';
import { isFinished, type Scenario } from '../../domain/scenarios';
import type { TwinIndex } from '../twin/TwinIndex';
import type { ScenarioKind, ScenarioKindName } from './ScenarioKind';
import { ScenarioStore } from './ScenarioStore';

export interface ScenarioRunnerOptions {
  store: ScenarioStore;
  twin: TwinIndex;
  kinds: ReadonlyArray<ScenarioKind>;
  /** Called on every forwarded change (status, progress). */
  onChange(scenario: Scenario): void;
  onError(err: unknown, scenario: Scenario): void;
  progressIntervalMs?: number;
  maxRunMs?: number;
  /** Queued (not running) scenarios allowed before new ones are refused. */
  maxQueued?: number;
}

export class QueueFullError extends Error {}

export class ScenarioRunner {
  private readonly kinds: Map<ScenarioKindName, ScenarioKind>;
  private readonly queue: string[] = [];
  private running: { id: string; abort: AbortController } | undefined;
  private closed = false;
  private idle: Promise<void> = Promise.resolve();
  private readonly progressIntervalMs: number;
  private readonly maxRunMs: number;
  private readonly maxQueued: number;

  constructor(private readonly opts: ScenarioRunnerOptions) {
    this.kinds = new Map(opts.kinds.map((k) => [k.kind, k]));
    this.progressIntervalMs = opts.progressIntervalMs ?? 250;
    this.maxRunMs = opts.maxRunMs ?? 30 * 60_000;
    this.maxQueued = opts.maxQueued ?? 20;
  }

  kindNames(): ScenarioKindName[] {
    return [...this.kinds.keys()];
  }

  hasKind(kind: string): kind is ScenarioKindName {
    return this.kinds.has(kind as ScenarioKindName);
  }

  /** Validates params (throws ScenarioParamsError), saves the scenario as queued and schedules it. */
  async submit(kind: ScenarioKindName, name: string, rawParams: unknown): Promise<Scenario> {
    const def = this.kinds.get(kind);
    if (!def) throw new Error(`unknown scenario kind ${kind}`);
    if (this.queue.length >= this.maxQueued) throw new QueueFullError(`${this.queue.length} scenarios are already waiting; try again later`);
    const params = def.parseParams(rawParams);
    const scenario: Scenario = {
      id: ScenarioStore.newId(),
      kind,
      name,
      params,
      status: 'queued',
      progress: 0,
      createdAt: Date.now(),
    };
    await this.opts.store.save(scenario);
    this.queue.push(scenario.id);
    this.opts.onChange(scenario);
    this.pump();
    return scenario;
  }

  async cancel(id: string): Promise<Scenario | undefined> {
    const scenario = this.opts.store.get(id);
    if (!scenario || isFinished(scenario.status)) return scenario;
    const queuedAt = this.queue.indexOf(id);
    if (queuedAt >= 0) {
      this.queue.splice(queuedAt, 1);
      return this.finish(scenario, { status: 'cancelled', message: 'cancelled before it started' });
    }
    if (this.running?.id === id) this.running.abort.abort(new Error('cancelled'));
    return scenario;
  }

  /** Removes a finished scenario; a queued or running one is cancelled first. */
  async remove(id: string): Promise<boolean> {
    const scenario = this.opts.store.get(id);
    if (!scenario) return false;
    if (!isFinished(scenario.status)) {
      await this.cancel(id);
      await this.idle;
    }
    await this.opts.store.remove(id);
    return true;
  }

  /** Cancels everything and waits for the running scenario to stop. */
  async close(): Promise<void> {
    this.closed = true;
    for (const id of this.queue.splice(0)) {
      const s = this.opts.store.get(id);
      if (s) await this.finish(s, { status: 'cancelled', message: 'server shutting down' });
    }
    this.running?.abort.abort(new Error('server shutting down'));
    await this.idle;
  }

  private pump(): void {
    if (this.running || this.closed) return;
    const id = this.queue.shift();
    if (!id) return;
    const scenario = this.opts.store.get(id);
    if (!scenario) return this.pump();
    this.idle = this.execute(scenario).finally(() => {
      this.running = undefined;
      this.pump();
    });
  }

  private async execute(queued: Scenario): Promise<void> {
    const def = this.kinds.get(queued.kind)!;
    const abort = new AbortController();
    this.running = { id: queued.id, abort };
    const timer = setTimeout(() => abort.abort(new Error(`ran longer than ${Math.round(this.maxRunMs / 1000)} s`)), this.maxRunMs);
    timer.unref();
    let scenario: Scenario = { ...queued, status: 'running', startedAt: Date.now(), progress: 0 };
    await this.opts.store.save(scenario);
    this.opts.onChange(scenario);

    const outDir = this.opts.store.dirOf(scenario.id);
    await mkdir(outDir, { recursive: true });
    let lastForward = 0;
    const onProgress = (fraction: number, message?: string): void => {
      const now = Date.now();
      if (now - lastForward < this.progressIntervalMs) return;
      lastForward = now;
      scenario = { ...scenario, progress: Math.min(1, Math.max(0, fraction)), ...(message ? { message } : {}) };
      this.opts.onChange(scenario);
    };
    try {
      const outcome = await def.run(scenario.params, { twin: this.opts.twin, outDir, onProgress, signal: abort.signal });
      if (abort.signal.aborted) throw abort.signal.reason;
      await this.finish(scenario, { status: 'done', progress: 1, summary: outcome.summary, files: outcome.files, message: undefined });
    } catch (err) {
      if (abort.signal.aborted) {
        const reason = (abort.signal.reason as Error | undefined)?.message ?? 'cancelled';
        // Partial result files of an aborted run are no use to anyone.
        await rm(outDir, { recursive: true, force: true }).catch(() => undefined);
        await this.finish(scenario, { status: reason === 'cancelled' ? 'cancelled' : 'failed', error: reason === 'cancelled' ? undefined : reason, message: reason });
      } else {
        this.opts.onError(err, scenario);
        await this.finish(scenario, { status: 'failed', error: (err as Error).message ?? String(err) });
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private async finish(scenario: Scenario, change: Partial<Scenario>): Promise<Scenario> {
    const done: Scenario = { ...scenario, ...change, finishedAt: Date.now() };
    for (const key of Object.keys(done) as Array<keyof Scenario>) if (done[key] === undefined) delete done[key];
    await this.opts.store.save(done);
    this.opts.onChange(done);
    return done;
  }
}
