/**
 * Who hears of commands as they are created and change status: the live stream (a `command`
 * event to the browsers), and any recorder that wants them — the device history store
 * (server/history/) registers one with `app.commands.addSink`. Called synchronously, in order,
 * after the record changed in memory; a sink only records, it never calls back into the service.
 */
import type { CommandRecord } from '../../domain/commands';

export interface CommandSink {
  /** A command was stored and published (its first status, `sent`). */
  commandCreated(record: Readonly<CommandRecord>): void;
  /** A command reached a new status (acked, succeeded, failed, timed-out) or was sent again. */
  commandUpdated(record: Readonly<CommandRecord>): void;
}
