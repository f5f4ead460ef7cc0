/**
 * Scenarios: simulation runs against the loaded twin, queued, persisted under
 * `<dataDir>/scenarios/` and reported live on the WebSocket (topic "scenario").
 * The kinds themselves live in server/scenarios/; this plugin only wires them to the server.
 */
import path from 'node:path';
import fp from 'fastify-plugin';
import { Errors } from '../errors';
import { SCENARIO_KIND_DEFS } from '../scenarios/kinds';
import type { ScenarioKind } from '../scenarios/ScenarioKind';
import { ScenarioRunner } from '../scenarios/ScenarioRunner';
import { ScenarioStore } from '../scenarios/ScenarioStore';

export interface ScenariosPluginOptions {
  /** Default: every kind in server/scenarios/kinds.ts. */
  kinds?: ReadonlyArray<ScenarioKind>;
  /** Longest a run may take; default 30 min. */
  maxRunMs?: number;
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

export default fp<ScenariosPluginOptions>(
  async (app, opts) => {
    if (opts.maxRunMs !== undefined && !(Number.isFinite(opts.maxRunMs) && opts.maxRunMs > 0)) {
      throw new Errors.BadOption('scenarios: maxRunMs must be a positive number');
    }
    const store = await ScenarioStore.open(path.join(app.dataDir, 'scenarios'));
    const log = app.log.child({ component: 'scenarios' });
    const runner = new ScenarioRunner({
      store,
      twin: app.twin,
      kinds: opts.kinds ?? SCENARIO_KIND_DEFS,
      maxRunMs: opts.maxRunMs,
      onChange: (scenario) => app.stream.publish('scenario', scenario),
      onError: (err, scenario) => log.error({ err, id: scenario.id, kind: scenario.kind }, 'scenario failed'),
    });
    app.decorate<Scenarios>('scenarios', { store, runner });
    app.addHook('onClose', () => runner.close());
  },
  { name: 'citytwin-scenarios', fastify: '5.x', dependencies: ['citytwin-twin', 'citytwin-stream'] },
);
