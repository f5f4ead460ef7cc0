/**
 * Commands and lamp schedules in the database (server/commands/): the methods both adapters
 * implement (their shared SQL is in commandRows.ts). A command row keeps its record as JSON
 * beside the columns the list filters on; records are written in batches (a group command of
 * thousands of lamps is one transaction), each an upsert of the whole record.
 */
import type { CommandRecord, CommandStatus } from '../../domain/commands';
import type { LampSchedule } from '../../domain/lampSchedules';

export interface CommandListQuery {
  terminalId?: string;
  status?: CommandStatus;
  /** created_at in [from, to). */
  from?: number;
  to?: number;
  /** Newest first, at most this many. */
  limit: number;
}

export interface CommandStorage {
  /** Inserts or replaces each record, all in one transaction. */
  saveCommands(records: readonly CommandRecord[]): Promise<void>;
  getCommand(id: string): Promise<CommandRecord | undefined>;
  listCommands(query: CommandListQuery): Promise<CommandRecord[]>;
  saveLampSchedule(schedule: LampSchedule): Promise<void>;
  listLampSchedules(): Promise<LampSchedule[]>;
  /** False when there was none. */
  deleteLampSchedule(id: string): Promise<boolean>;
}
