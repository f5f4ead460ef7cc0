/**
 * Command status as the panels show it, folded from the records the API answers and the
 * `command` events of the live stream: the latest command per terminal, and per group command
 * how many are in each status. Pure, tested in Node.
 */
import type { CommandStatus, CommandUpdate } from '../../../../../domain/commands';

export type StatusCounts = Record<CommandStatus, number>;

export const emptyCounts = (): StatusCounts => ({ sent: 0, acked: 0, succeeded: 0, failed: 0, 'timed-out': 0 });

export class CommandBook {
  /** Latest command per terminal. */
  readonly byTerminal = new Map<string, CommandUpdate>();
  /** Status of each command of each group. */
  private readonly groups = new Map<string, Map<string, { status: CommandStatus; at: number }>>();

  /**
   * Takes in records or updates. A terminal shows its newest command (by creation): a late
   * update of an older one does not hide it, nor does an older update of the same command.
   */
  take(updates: readonly CommandUpdate[]): void {
    for (const u of updates) {
      const held = this.byTerminal.get(u.terminalId);
      const newer = !held || u.createdAt > held.createdAt || (u.id === held.id && u.updatedAt >= held.updatedAt);
      if (newer) this.byTerminal.set(u.terminalId, u);
      if (u.groupId) {
        let group = this.groups.get(u.groupId);
        if (!group) this.groups.set(u.groupId, (group = new Map()));
        // The API's answer (sent) can arrive after the stream's first update: keep the newer.
        const before = group.get(u.id);
        if (!before || before.at <= u.updatedAt) group.set(u.id, { status: u.status, at: u.updatedAt });
      }
    }
  }

  counts(groupId: string): StatusCounts {
    const counts = emptyCounts();
    for (const { status } of this.groups.get(groupId)?.values() ?? []) counts[status] += 1;
    return counts;
  }
}
