/**
 * Scenarios: simulation runs against the loaded twin, queued in the case database (shared by
 * every server instance on it), run by whichever instance claims them and reported live on the
 * WebSocket (topic "scenario"). The kinds live in server/scenarios/; this plugin only wires them
 * to the server.
 */
import fp from 'fastify-plugin';
import { Errors } from '../errors';
import { SCENARIO_KIND_DEFS } from './kinds';
import type { ScenarioKind } from './ScenarioKind';
import { ScenarioRunner } from './ScenarioRunner';
import { ScenarioStore } from './ScenarioStore';
import { defaultInstanceId } from '../cluster/plugin';

export interface ScenariosPluginOptions {
  /** Default: every kind in server/scenarios/kinds.ts. */
  kinds?: ReadonlyArray<ScenarioKind>;
  /** Longest a run may take; default 30 min. */
  maxRunMs?: number;
  /** How often an idle instance looks for queued scenarios; default 1 s. */
  pollMs?: number;
  /** Heartbeat of a running scenario (progress, cancel flag); default 1 s. */
  heartbeatMs?: number;
  /** Silence after which a run's instance counts as stopped; default 30 s. */
  leaseMs?: number;
  /** Bound on one scenario's result files together; default 256 MB. */
  maxResultBytes?: number;
  /** Queued scenarios (all instances together) before new ones are refused; default 20. */
  maxQueued?: number;
}

export interface Scenarios {
  store: ScenarioStore;
  runner: ScenarioRunner;
}

declare module 'fastify' {
  interface FastifyInstance {
    scenarios: Scenarios;
  }
}

const POSITIVE_OPTIONS = ['maxRunMs', 'pollMs', 'heartbeatMs', 'leaseMs', 'maxResultBytes', 'maxQueued'] as const;

export default fp<ScenariosPluginOptions>(
  async (app, opts) => {
    for (const key of POSITIVE_OPTIONS) {
      const value = opts[key];
      if (value !== undefined && !(Number.isFinite(value) && value > 0)) throw new Errors.BadOption(`scenarios: ${key} must be a positive number`);
    }
    // Recorded on the scenarios this instance claims (and in "interrupted: instance X stopped").
    const instanceId = app.hasDecorator('cluster') ? app.cluster.instanceId : defaultInstanceId();
    const store = new ScenarioStore(app.storage);
    const log = app.log.child({ component: 'scenarios', instance: instanceId });
    let runner: ScenarioRunner;
    try {
      runner = new ScenarioRunner({
        store,
        twin: app.twin,
        kinds: opts.kinds ?? SCENARIO_KIND_DEFS,
        instanceId,
        maxRunMs: opts.maxRunMs,
        pollMs: opts.pollMs,
        heartbeatMs: opts.heartbeatMs,
        leaseMs: opts.leaseMs,
        maxResultBytes: opts.maxResultBytes,
        maxQueued: opts.maxQueued,
        onChange: (scenario) => app.stream.publish('scenario', scenario),
        onError: (err, scenario) =>
          scenario ? log.error({ err, id: scenario.id, kind: scenario.kind }, 'scenario failed') : log.error({ err }, 'scenario queue unavailable'),
      });
    } catch (err) {
      throw new Errors.BadOption(`scenarios: ${(err as Error).message}`);
    }
    app.decorate<Scenarios>('scenarios', { store, runner });
    app.addHook('onReady', async () => runner.start());
    app.addHook('onClose', () => runner.close());
  },
  { name: 'citytwin-scenarios', fastify: '5.x', dependencies: ['citytwin-twin', 'citytwin-stream', 'citytwin-storage'] },
);
