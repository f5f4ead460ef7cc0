/**
 * The live state of the twin's devices (`app.live`), the device registry it is built on
 * (`app.devices`: pole, road order and watched component of every terminal), and the offline
 * watchdog that sweeps it. Cases subscribe to raised alarms with `app.live.subscribeAlarms`.
 *
 * In a cluster each instance ingests part of the device messages; every `replicaIntervalMs` it
 * sends what those changed to the other instances and merges what they send, and answers a
 * newcomer with its whole state (server/cluster/liveExchange.ts), so every instance's browsers
 * see the whole city.
 */
import fp from 'fastify-plugin';
import { exchangeLiveState } from '../../cluster/liveExchange';
import { Errors } from '../../errors';
import { DeviceRegistry, loadRoadLines } from '../registry/DeviceRegistry';
import { LiveState } from './LiveState';

export interface LivePluginOptions {
  /** The simulator's speed-up when it runs (devices then report that much faster); 1 otherwise. */
  speedup?: number;
  /** The simulated clock's speed-up when faster than the reports (soak runs); default `speedup`. */
  clockSpeedup?: number;
  /** Silence, in nominal report intervals, after which a terminal is offline; default 3. */
  silenceFactor?: number;
  /** How often the watchdog looks; default a quarter of the shortest silence limit, at most 1 s. */
  sweepIntervalMs?: number;
  /** How often changes go to the other instances of a cluster; default 250 ms. */
  replicaIntervalMs?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveState;
    devices: DeviceRegistry;
  }
}

export default fp<LivePluginOptions>(
  async (app, opts) => {
    const { twin } = app;
    const roads = await loadRoadLines(twin.dir, twin.manifest.files.roads, (message) => app.log.warn(message));
    let devices: DeviceRegistry;
    let live: LiveState;
    try {
      devices = new DeviceRegistry({ poles: twin.poles, terminals: twin.terminals, components: twin.components, roads });
      const entries = [...devices.all()];
      live = new LiveState(
        {
          poles: twin.poles,
          terminals: entries.map((e) => ({ id: e.terminalId, poleId: e.poleId, type: e.type, componentCode: e.componentCode })),
          roads: [...devices.polesAlongRoad].map(([roadId, poleIds]) => ({ roadId, poleIds })),
        },
        {
          speedup: opts.speedup,
          clockSpeedup: opts.clockSpeedup,
          silenceFactor: opts.silenceFactor,
          onListenerError: (err, alarm) => app.log.error({ err, alarmId: alarm.id }, 'an alarm listener failed'),
        },
      );
    } catch (err) {
      throw new Errors.BadOption(`live: ${(err as Error).message}`);
    }
    app.decorate('devices', devices);
    app.decorate('live', live);

    const shortestLimit = Math.min(...Object.values(live.silenceLimitMs));
    const sweepMs = opts.sweepIntervalMs ?? Math.max(10, Math.min(1000, shortestLimit / 4));
    const { cluster } = app;
    const timer = setInterval(() => live.sweep(Date.now(), cluster.owns), sweepMs);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));

    const bus = cluster.bus;
    if (!bus) return;
    const replicaIntervalMs = opts.replicaIntervalMs ?? 250;
    if (!(Number.isFinite(replicaIntervalMs) && replicaIntervalMs >= 10)) throw new Errors.BadOption('live: replicaIntervalMs must be at least 10 ms');
    const stop = exchangeLiveState(live, bus, { intervalMs: replicaIntervalMs, log: app.log });
    app.addHook('onClose', async () => stop());
  },
  { name: 'citytwin-live', fastify: '5.x', dependencies: ['citytwin-twin', 'citytwin-cluster'] },
);
