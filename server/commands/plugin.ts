/**
 * Device commands as `app.commands` (CommandService.ts): a change sink of the live state (the
 * effect of a command shows in the terminal's state), an MQTT client that publishes commands and
 * hears acks, the lamp scheduler (schedule/LampScheduler.ts), and every status change on the
 * live stream as a `command` event for logged-in viewers, batched every `eventIntervalMs`.
 * The history store and other recorders add themselves with `app.commands.addSink`.
 */
import fp from 'fastify-plugin';
import type { CommandEventData, CommandRecord, CommandUpdate } from '../../domain/commands';
import { Errors } from '../errors';
import { CommandService, type CommandServiceOptions } from './CommandService';
import type { CommandSink } from './CommandSink';
import { LampScheduler } from './schedule/LampScheduler';

export type CommandsPluginOptions = Pick<CommandServiceOptions, 'ackTimeoutMs' | 'retries' | 'effectTimeoutMs' | 'perUser' | 'perDevice' | 'flushMs'> & {
  /** How often status changes go to the browsers; default 250 ms. */
  eventIntervalMs?: number;
  /** The scheduler's clock (tests inject one); default Date.now. */
  now?: () => number;
  /** How often the scheduler looks for due schedule steps; default 15 s. */
  scheduleTickMs?: number;
};

declare module 'fastify' {
  interface FastifyInstance {
    commands: CommandService;
    /** Start-up's settling of commands a stopped instance left in flight: how many (docs/commands.md). */
    commandOrphans: Promise<number>;
    lampSchedules: LampScheduler;
  }
}

function update(r: Readonly<CommandRecord>): CommandUpdate {
  return { id: r.id, terminalId: r.terminalId, command: r.command, status: r.status, createdAt: r.createdAt, updatedAt: r.updatedAt, ...(r.groupId ? { groupId: r.groupId } : {}), ...(r.message ? { message: r.message } : {}) };
}

export default fp<CommandsPluginOptions>(
  async (app, opts) => {
    for (const name of ['ackTimeoutMs', 'effectTimeoutMs', 'flushMs', 'eventIntervalMs', 'scheduleTickMs'] as const) {
      const value = opts[name];
      if (value !== undefined && !(Number.isFinite(value) && value > 0)) throw new Errors.BadOption(`commands: ${name} must be a positive number of ms, got ${value}`);
    }
    if (opts.retries !== undefined && !(Number.isInteger(opts.retries) && opts.retries >= 0)) throw new Errors.BadOption(`commands: retries must be an integer ≥ 0, got ${opts.retries}`);
    const { twin, live, stream, storage, cluster } = app;
    const service = new CommandService({
      ...opts,
      url: app.broker.url,
      ...app.broker.serviceCredential,
      instanceId: cluster.instanceId,
      terminalType: (id) => twin.terminalById.get(id)?.type,
      stateOf: (id) => live.terminal(id),
      storage,
      log: app.log.child({ component: 'commands' }),
    });
    try {
      await service.connect();
    } catch (err) {
      throw new Errors.Mqtt(`commands: cannot connect to the MQTT broker at ${app.broker.url}: ${(err as Error).message}`);
    }
    live.addSink(service);

    // Status changes to the browsers, a batch at a time: a group of 2,000 lamps is a few events, not 6,000.
    const changes = new Map<string, CommandUpdate>();
    const eventIntervalMs = opts.eventIntervalMs ?? 250;
    const relay: CommandSink = {
      commandCreated: (r) => void changes.set(r.id, update(r)),
      commandUpdated: (r) => void changes.set(r.id, update(r)),
    };
    service.addSink(relay);
    // Issue 16: every command is kept in the device history (a reading of its own `command:<kind>` field).
    const recorder = app.hasDecorator('historyRecorder') ? app.historyRecorder : undefined;
    if (recorder) {
      service.addSink({
        commandCreated: (r) => recorder.recordCommand(r.terminalId, r.command.command, r.createdAt),
        commandUpdated: () => {},
      });
    }
    const timer = setInterval(() => {
      if (changes.size === 0) return;
      const data: CommandEventData = { commands: [...changes.values()] };
      changes.clear();
      stream.publish('command', data, { loggedIn: true });
    }, eventIntervalMs);
    timer.unref();

    const scheduler = new LampScheduler({
      storage,
      twin,
      commands: service,
      position: { lat: twin.manifest.center.lat, lon: twin.manifest.center.lon },
      now: opts.now ?? Date.now,
      tickMs: opts.scheduleTickMs ?? 15_000,
      owns: () => cluster.owns('lamp-schedules'),
      log: app.log.child({ component: 'lamp-schedules' }),
    });
    await scheduler.start();

    // Commands a stopped instance left in flight (sent or acked, nobody to time them out): settled
    // once the members are known, by one instance; and when a member's presence expires.
    let orphansSettled!: (n: number) => void;
    const orphans = new Promise<number>((resolve) => (orphansSettled = resolve));
    const settleOrphans = async (isOrphan: (r: CommandRecord) => boolean, why: string): Promise<number> => {
      try {
        const n = await service.resolveOrphans(isOrphan, why);
        if (n > 0) app.log.warn({ count: n }, `commands: ${why}`);
        return n;
      } catch (err) {
        app.log.error({ err }, 'commands: could not settle the commands of a stopped instance');
        return 0;
      }
    };
    app.addHook('onReady', () => {
      void (async () => {
        await cluster.bus?.synced();
        if (!cluster.owns('command-orphans')) return orphansSettled(0);
        const alive = new Set(cluster.members().filter((m) => m !== cluster.instanceId));
        orphansSettled(await settleOrphans((r) => !r.instanceId || !alive.has(r.instanceId), 'the instance that sent it stopped before the device answered; the device may or may not have acted'));
      })();
    });
    // Instances closing together see each other leave: one that is closing itself settles
    // nothing more, and waits (onClose) for a settling already under way before the storage closes.
    let closing = false;
    const settling = new Set<Promise<number>>();
    app.addHook('preClose', async () => {
      closing = true;
    });
    cluster.bus?.onLeave((left) => {
      if (closing || left === cluster.instanceId || !cluster.owns('command-orphans')) return;
      const settled = settleOrphans((r) => r.instanceId === left, `instance ${left} left the cluster before the device answered; the device may or may not have acted`);
      settling.add(settled);
      void settled.finally(() => settling.delete(settled));
    });
    app.decorate('commandOrphans', orphans);
    app.decorate('commands', service);
    app.decorate('lampSchedules', scheduler);
    app.addHook('onClose', async () => {
      scheduler.stop();
      clearInterval(timer);
      await Promise.all(settling);
      await service.close();
    });
  },
  { name: 'citytwin-commands', fastify: '5.x', dependencies: ['citytwin-twin', 'citytwin-live', 'citytwin-stream', 'citytwin-storage', 'citytwin-cluster'] },
);
