/**
 * Simulated operations staff for the demo (`app.staffSim`, docs/staff-sim.md): accounts for a
 * dispatcher, an inspector and each department's handler, and the runner that works the cases
 * through the HTTP API on the simulated clock (StaffRunner.ts). Registered even when off, so the
 * API can say so and the client shows no badge.
 *
 * The runner starts once the server is ready (it calls the routes) and stops when it closes.
 */
import fp from 'fastify-plugin';
import type { RepairTargets } from './core/repairs';
import { ensureAccounts, staffActors, type StaffActor } from './actors';
import type { SimClock } from './SimClock';
import { StaffRunner, type StaffStats } from './StaffRunner';

export interface StaffSimPluginOptions {
  /** The simulated clock the cases run on; absent: the staff are off. */
  clock?: SimClock;
  seed?: number;
  /** Citizen reports per pole per simulated day (StaffRunner's default when absent). */
  citizenReportsPerPoleDay?: number;
}

export interface StaffSimInfo {
  readonly enabled: boolean;
  /** Simulated-clock speed-up (1 when off). */
  readonly clockSpeedup: number;
  /** Simulated ms now (the wall clock when off). */
  now(): number;
  readonly actors: readonly StaffActor[];
  stats(): StaffStats | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    staffSim: StaffSimInfo;
  }
}

/** Loopback addresses the staff desk and the simulated citizens call from (each has its own rate limits). */
const ADDRESS = { staff: '127.0.0.2', citizen: '127.0.0.3' } as const;

export default fp<StaffSimPluginOptions>(
  async (app, opts) => {
    const clock = opts.clock;
    if (!clock) {
      app.decorate<StaffSimInfo>('staffSim', { enabled: false, clockSpeedup: 1, now: Date.now, actors: [], stats: () => undefined });
      return;
    }
    const actors = staffActors(app.twin.departments);
    let runner: StaffRunner | undefined;
    app.decorate<StaffSimInfo>('staffSim', { enabled: true, clockSpeedup: clock.speedup, now: clock.now, actors, stats: () => runner?.stats });

    app.addHook('onReady', async () => {
      const passwords = await ensureAccounts(actors, app.users, app.storage);
      runner = new StaffRunner({
        clock,
        seed: opts.seed ?? 1,
        actors,
        passwords,
        departmentIds: new Set(app.twin.departments.map((d) => d.id)),
        poles: app.twin.poles,
        citizenReportsPerPoleDay: opts.citizenReportsPerPoleDay,
        repair: (targets: RepairTargets) => app.simulator.repair(targets),
        log: app.log,
        http: async (req) => {
          const headers: Record<string, string> = {};
          if (req.token) headers.authorization = `Bearer ${req.token}`;
          const res = await app.inject({ method: req.method, url: req.url, headers, payload: req.payload, remoteAddress: ADDRESS[req.from] });
          const text = res.body;
          return { status: res.statusCode, body: text.startsWith('{') || text.startsWith('[') ? (JSON.parse(text) as unknown) : text };
        },
      });
      runner.start();
      app.log.warn({ actors: actors.length, speedup: clock.speedup }, 'simulated staff are working the cases (demo only; serve --staff-sim off stops them)');
    });
    app.addHook('onClose', async () => runner?.stop());
  },
  { name: 'citytwin-staff-sim', fastify: '5.x', dependencies: ['citytwin-cases', 'citytwin-auth', 'citytwin-simulator', 'citytwin-storage', 'citytwin-twin'] },
);
