/**
 * Runs the device simulator against a broker URL while the server is up (`app.simulator`).
 * Registered even when disabled, so health reports `running: false` rather than nothing.
 */
import fp from 'fastify-plugin';
import { Errors } from '../errors';
import { DeviceSimulator } from '../simulator/DeviceSimulator';

export interface SimulatorPluginOptions {
  enabled: boolean;
  /** Broker the simulated devices publish to. */
  url: string;
  /** Resolved speed-up (see resolveSpeedup); the live watchdog must use the same one. */
  speedup: number;
  faultRate?: number;
  seed?: number;
}

export interface SimulatorInfo {
  running(): boolean;
  readonly terminals: number;
  readonly speedup: number;
  /** Measured publish rate over the last few seconds. */
  messagesPerSecond(): number;
  messagesPublished(): number;
}

declare module 'fastify' {
  interface FastifyInstance {
    simulator: SimulatorInfo;
  }
}

export default fp<SimulatorPluginOptions>(
  async (app, opts) => {
    if (!opts.enabled) {
      app.decorate<SimulatorInfo>('simulator', {
        running: () => false,
        terminals: 0,
        speedup: 1,
        messagesPerSecond: () => 0,
        messagesPublished: () => 0,
      });
      return;
    }
    let simulator: DeviceSimulator;
    try {
      simulator = new DeviceSimulator({
        url: opts.url,
        terminals: app.twin.terminals,
        speedup: opts.speedup,
        faultRate: opts.faultRate,
        seed: opts.seed,
        lonDeg: app.twin.manifest.center.lon,
        onError: (err) => app.log.warn({ err: err.message }, 'simulator MQTT error'),
      });
    } catch (err) {
      throw new Errors.BadOption(`simulator: ${(err as Error).message}`);
    }
    try {
      await simulator.start();
    } catch (err) {
      throw new Errors.Mqtt(`simulator cannot connect to the MQTT broker at ${opts.url}: ${(err as Error).message}`);
    }
    app.log.info(
      { terminals: simulator.terminalCount, speedup: simulator.speedup, nominalMsgPerS: Math.round(simulator.nominalMessagesPerSecond) },
      'device simulator running',
    );
    app.decorate<SimulatorInfo>('simulator', {
      running: () => simulator.running,
      terminals: simulator.terminalCount,
      speedup: simulator.speedup,
      messagesPerSecond: () => simulator.messagesPerSecond,
      messagesPublished: () => simulator.messagesPublished,
    });
    app.addHook('onClose', async () => simulator.stop());
  },
  { name: 'citytwin-simulator', fastify: '5.x', dependencies: ['citytwin-twin'] },
);
