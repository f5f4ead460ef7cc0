/**
 * The live state of the twin's devices (`app.live`), and the offline watchdog that sweeps it.
 */
import fp from 'fastify-plugin';
import { Errors } from '../errors';
import { LiveState } from '../live/LiveState';

export interface LivePluginOptions {
  /** The simulator's speed-up when it runs (devices then report that much faster); 1 otherwise. */
  speedup?: number;
  /** Silence, in nominal report intervals, after which a terminal is offline; default 3. */
  silenceFactor?: number;
  /** How often the watchdog looks; default a quarter of the shortest silence limit, at most 1 s. */
  sweepIntervalMs?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveState;
  }
}

export default fp<LivePluginOptions>(
  async (app, opts) => {
    let live: LiveState;
    try {
      live = new LiveState(app.twin, { speedup: opts.speedup, silenceFactor: opts.silenceFactor });
    } catch (err) {
      throw new Errors.BadOption(`live: ${(err as Error).message}`);
    }
    app.decorate('live', live);

    const shortestLimit = Math.min(...Object.values(live.silenceLimitMs));
    const sweepMs = opts.sweepIntervalMs ?? Math.max(10, Math.min(1000, shortestLimit / 4));
    const timer = setInterval(() => live.sweep(Date.now()), sweepMs);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'citytwin-live', fastify: '5.x', dependencies: ['citytwin-twin'] },
);
