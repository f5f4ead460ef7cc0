/** The panels' fold of command records and live updates (client/src/features/commands/core). */
import { describe, expect, it } from 'vitest';
import type { CommandUpdate } from '../../domain/commands';
import { CommandBook } from '../../client/src/features/commands/core/groupProgress';

const u = (id: string, terminalId: string, status: CommandUpdate['status'], createdAt: number, updatedAt: number, groupId?: string): CommandUpdate => ({
  id,
  terminalId,
  command: { command: 'dim', percent: 40 },
  status,
  createdAt,
  updatedAt,
  ...(groupId ? { groupId } : {}),
});

describe('CommandBook', () => {
  it('shows each terminal its newest command; a late update of an older one does not hide it', () => {
    const book = new CommandBook();
    book.take([u('a', 'L1', 'sent', 1, 1)]);
    book.take([u('b', 'L1', 'sent', 5, 5)]);
    book.take([u('a', 'L1', 'timed-out', 1, 9)]);
    expect(book.byTerminal.get('L1')).toMatchObject({ id: 'b', status: 'sent' });
    book.take([u('b', 'L1', 'succeeded', 5, 7), u('b', 'L1', 'acked', 5, 6)]);
    expect(book.byTerminal.get('L1')).toMatchObject({ id: 'b', status: 'succeeded' });
  });

  it('counts a group command by status as its commands move', () => {
    const book = new CommandBook();
    book.take([u('a', 'L1', 'sent', 1, 1, 'g'), u('b', 'L2', 'sent', 1, 1, 'g'), u('c', 'L3', 'sent', 1, 1, 'g')]);
    book.take([u('a', 'L1', 'succeeded', 1, 2, 'g'), u('b', 'L2', 'failed', 1, 2, 'g')]);
    // A late copy of the first answer changes nothing.
    book.take([u('a', 'L1', 'sent', 1, 1, 'g')]);
    expect(book.counts('g')).toEqual({ sent: 1, acked: 0, succeeded: 1, failed: 1, 'timed-out': 0 });
    expect(book.counts('other')).toEqual({ sent: 0, acked: 0, succeeded: 0, failed: 0, 'timed-out': 0 });
  });
});
