/**
 * Runs the lamp schedules kept in the database (domain/lampSchedules.ts): every `tickMs` it
 * sends, as ordinary commands from the `scheduler`, each schedule event (scheduleEvents.ts) that
 * fell since the previous tick. The clock is passed in, so tests set it to a computed sunset.
 * Events missed while the server was down are not replayed: on start it looks forward only.
 * In a cluster only the instance that owns the key `lamp-schedules` (rendezvous) fires them.
 */
import { randomUUID } from 'node:crypto';
import type { CommandRecord } from '../../../domain/commands';
import type { LampSchedule, LampScheduleInput } from '../../../domain/lampSchedules';
import type { CommandStorage } from '../../storage/commandStorage';
import type { CommandService } from '../CommandService';
import { resolveTarget, type TargetTwin } from '../targets';
import { dueEvents, type Place, type ScheduleEvent } from './scheduleEvents';

export interface LampSchedulerOptions {
  storage: CommandStorage;
  twin: TargetTwin;
  commands: Pick<CommandService, 'issue'>;
  position: Place;
  now: () => number;
  tickMs: number;
  /** Whether this instance fires the schedules; default always (alone). */
  owns?: () => boolean;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export class LampScheduler {
  private schedules: LampSchedule[] = [];
  private lastTick = 0;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: LampSchedulerOptions) {}

  async start(): Promise<void> {
    this.schedules = await this.opts.storage.listLampSchedules();
    this.lastTick = this.opts.now();
    this.timer = setInterval(() => void this.tick(), this.opts.tickMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  list(): LampSchedule[] {
    return this.schedules.map((s) => structuredClone(s));
  }

  /** Creates (no id) or replaces a schedule; its target must name lamps of this twin. */
  async save(input: LampScheduleInput, id?: string): Promise<LampSchedule> {
    resolveTarget({ ...input.target, type: 'lamp' }, this.opts.twin);
    const schedule: LampSchedule = { ...structuredClone(input), id: id ?? randomUUID(), updatedAt: Date.now() };
    await this.opts.storage.saveLampSchedule(schedule);
    this.schedules = await this.opts.storage.listLampSchedules();
    return schedule;
  }

  async remove(id: string): Promise<boolean> {
    const gone = await this.opts.storage.deleteLampSchedule(id);
    this.schedules = await this.opts.storage.listLampSchedules();
    return gone;
  }

  /** The next events of a schedule within `hours`, for the panel. */
  upcoming(schedule: LampSchedule, hours = 36): ScheduleEvent[] {
    const now = this.opts.now();
    return dueEvents(schedule, now, now + hours * 3_600_000, this.opts.position);
  }

  /** Sends what fell due since the previous tick; resolves with the commands sent. */
  tick(): Promise<CommandRecord[]> {
    const run = this.ticking.then(() => this.fire());
    this.ticking = run.catch(() => undefined);
    return run;
  }

  private async fire(): Promise<CommandRecord[]> {
    const now = this.opts.now();
    const from = this.lastTick;
    this.lastTick = now;
    if (this.opts.owns && !this.opts.owns()) return [];
    const sent: CommandRecord[] = [];
    for (const schedule of this.schedules) {
      if (!schedule.enabled) continue;
      for (const event of dueEvents(schedule, from, now, this.opts.position)) {
        try {
          const lamps = resolveTarget({ ...schedule.target, type: 'lamp' }, this.opts.twin);
          const issuer = { userId: `schedule:${schedule.id}`, username: `schedule ${schedule.name}`, role: 'scheduler' as const };
          sent.push(...(await this.opts.commands.issue(issuer, lamps.map((t) => t.id), event.command, `schedule:${schedule.id}:${event.label}:${event.at}`)));
        } catch (err) {
          this.opts.log.error({ err, scheduleId: schedule.id, event: event.label }, 'a lamp schedule could not send its command');
        }
      }
    }
    return sent;
  }
}
