/**
 * Runs the device simulator against a broker URL while the server is up (`app.simulator`).
 * Registered even when disabled, so health reports `running: false` rather than nothing.
 */
import fp from 'fastify-plugin';
import { VIDEO_AI_USERNAME } from '../../../domain/devices';
import { Errors } from '../../errors';
import { DeviceSimulator, type WorldRepair } from './DeviceSimulator';
import { UnitFleet } from './UnitFleet';

/** Demo units drive ten times faster than in the field: a five-minute run shows in half a minute. */
export const DEFAULT_UNIT_SPEEDUP = 10;

export interface SimulatorPluginOptions {
  enabled: boolean;
  /** Broker the simulated devices publish to. */
  url: string;
  /** Resolved speed-up (see resolveSpeedup); the live watchdog must use the same one. */
  speedup: number;
  /** Report speed-up when lower than `speedup` (soak runs); the live watchdog must use it. */
  reportSpeedup?: number;
  /** The staffed world: problems wait for repairs (DeviceSimulator `staffed`, docs/staff-sim.md). */
  staffed?: boolean;
  faultRate?: number;
  /** Share of commands a demo device answers with an error, and share it never answers (docs/commands.md). */
  commandFailRate?: number;
  commandSilentRate?: number;
  seed?: number;
  /** Video-AI detections per camera per simulated hour; default 0.5, 0 turns them off. */
  videoEventsPerCameraHour?: number;
  /** Simulated seconds per real second for the emergency units' drives; default DEFAULT_UNIT_SPEEDUP. */
  unitSpeedup?: number;
}

export interface SimulatorInfo {
  running(): boolean;
  readonly terminals: number;
  readonly speedup: number;
  /** Measured publish rate over the last few seconds. */
  messagesPerSecond(): number;
  messagesPublished(): number;
  /** Detections the simulated video-AI system has published. */
  videoEventsSent(): number;
  /** Simulated devices with an open connection (they connect in the background after start). */
  devicesConnected(): number;
  /** Whether the world's problems wait for repairs (the staffed world). */
  readonly staffed: boolean;
  /** A repair crew fixes these in the simulated world; returns how many things it fixed. */
  repair(target: WorldRepair): number;
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
        videoEventsSent: () => 0,
        devicesConnected: () => 0,
        staffed: false,
        repair: () => 0,
      });
      return;
    }
    let simulator: DeviceSimulator;
    try {
      simulator = new DeviceSimulator({
        url: opts.url,
        terminals: app.twin.terminals,
        speedup: opts.speedup,
        reportSpeedup: opts.reportSpeedup,
        staffed: opts.staffed,
        faultRate: opts.faultRate,
        seed: opts.seed,
        lonDeg: app.twin.manifest.center.lon,
        // The devices log in as themselves; on an external broker the operator provisions the same credentials.
        credentialFor: (id) => app.broker.credentials.device(id),
        videoAi:
          opts.videoEventsPerCameraHour === 0
            ? undefined
            : { credential: app.broker.credentials.account(VIDEO_AI_USERNAME), eventsPerCameraHour: opts.videoEventsPerCameraHour },
        polesAlongRoad: app.devices.polesAlongRoad,
        commandFailRate: opts.commandFailRate,
        commandSilentRate: opts.commandSilentRate,
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
      videoEventsSent: () => simulator.videoEventsSent,
      devicesConnected: () => simulator.devicesConnected,
      staffed: simulator.staffed,
      repair: (target) => simulator.repairWorld(target),
    });
    // The twin's crews (domain/emergency.ts) answer dispatch orders and drive their routes.
    const units = new UnitFleet({
      url: opts.url,
      unitIds: app.twin.resources.filter((r) => app.twin.isUnit(r.id)).map((r) => r.id),
      credentialFor: (id) => app.broker.credentials.unit(id),
      speedup: opts.unitSpeedup ?? DEFAULT_UNIT_SPEEDUP,
      home: (id) => app.twin.resourceById.get(id)!,
      onError: (err) => app.log.warn({ err: err.message }, 'simulated unit MQTT error'),
    });
    try {
      await units.start();
    } catch (err) {
      throw new Errors.Mqtt(`simulator: the emergency units cannot connect to the MQTT broker at ${opts.url}: ${(err as Error).message}`);
    }
    app.addHook('onClose', async () => {
      await units.stop();
      await simulator.stop();
    });
  },
  { name: 'citytwin-simulator', fastify: '5.x', dependencies: ['citytwin-twin', 'citytwin-broker', 'citytwin-live'] },
);
