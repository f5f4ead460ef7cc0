/**
 * Commands and lamp schedules as every Storage adapter must keep them (run inside
 * storageContract.ts against SQLite and PostgreSQL): a batch of records in one write, status
 * updates replacing the record, the list's filters newest first, schedules saved and removed.
 */
import { expect, it } from 'vitest';
import type { CommandRecord } from '../../domain/commands';
import type { StorageHarness } from './storageHarness';

const T0 = 1_750_000_000_000;

function command(n: number, over: Partial<CommandRecord> = {}): CommandRecord {
  return {
    id: `cmd-${n}`,
    terminalId: `P0000${(n % 3) + 1}-lamp`,
    terminalType: 'lamp',
    command: { command: 'dim', percent: n },
    status: 'sent',
    issuedBy: { userId: 'u1', username: 'dispatcher', role: 'dispatcher' },
    createdAt: T0 + n,
    updatedAt: T0 + n,
    attempts: 1,
    history: [{ status: 'sent', at: T0 + n }],
    ...over,
  };
}

export function commandContract(harness: () => StorageHarness): void {
  it('stores a batch of commands, replaces a record on update and filters the list', async () => {
    const s = harness().storage;
    await s.saveCommands(Array.from({ length: 9 }, (_, i) => command(i)));
    const acked = command(4, { status: 'failed', updatedAt: T0 + 100, message: 'driver fault', history: [{ status: 'sent', at: T0 + 4 }, { status: 'failed', at: T0 + 100 }] });
    await s.saveCommands([acked]);
    expect(await s.getCommand('cmd-4')).toEqual(acked);
    expect(await s.getCommand('nope')).toBeUndefined();
    expect((await s.listCommands({ limit: 100 })).map((r) => r.id)).toEqual(['cmd-8', 'cmd-7', 'cmd-6', 'cmd-5', 'cmd-4', 'cmd-3', 'cmd-2', 'cmd-1', 'cmd-0']);
    expect((await s.listCommands({ terminalId: 'P00002-lamp', limit: 100 })).map((r) => r.id)).toEqual(['cmd-7', 'cmd-4', 'cmd-1']);
    expect((await s.listCommands({ status: 'failed', limit: 100 })).map((r) => r.id)).toEqual(['cmd-4']);
    expect((await s.listCommands({ from: T0 + 2, to: T0 + 5, limit: 2 })).map((r) => r.id)).toEqual(['cmd-4', 'cmd-3']);
  });

  it('saves, replaces and deletes lamp schedules', async () => {
    const s = harness().storage;
    const schedule = { id: 'ls-1', name: 'R001 nights', target: { roadId: 'R001' }, onOffsetMin: 5, offOffsetMin: -10, dimming: [{ at: '23:00', percent: 50 }], enabled: true, updatedAt: T0 };
    await s.saveLampSchedule(schedule);
    await s.saveLampSchedule({ ...schedule, enabled: false, updatedAt: T0 + 1 });
    expect(await s.listLampSchedules()).toEqual([{ ...schedule, enabled: false, updatedAt: T0 + 1 }]);
    expect(await s.deleteLampSchedule('ls-1')).toBe(true);
    expect(await s.deleteLampSchedule('ls-1')).toBe(false);
    expect(await s.listLampSchedules()).toEqual([]);
  });
}
