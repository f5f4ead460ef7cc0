/**
 * The live state of the twin's devices (`app.live`), the device registry it is built on
 * (`app.devices`: pole, road order and watched component of every terminal), and the offline
 * watchdog that sweeps it. Cases subscribe to raised alarms with `app.live.subscribeAlarms`.
 */
import fp from 'fastify-plugin';
import { DeviceRegistry, loadRoadLines } from '../devices/DeviceRegistry';
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
    const timer = setInterval(() => live.sweep(Date.now()), sweepMs);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'citytwin-live', fastify: '5.x', dependencies: ['citytwin-twin'] },
);
