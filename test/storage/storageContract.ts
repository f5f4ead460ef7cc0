/**
 * The behaviour every Storage adapter must show, run against SQLite (sqlite.test.ts) and a real
 * PostgreSQL server (postgres.test.ts): atomic commits, optimistic versions, idempotency keys,
 * unique alarm ids, an append-only audit trail the database itself defends, filters and the
 * supervision and KPI queries; then the scenario queue and the lock (scenarioContract.ts), and
 * commands with lamp schedules (commandContract.ts), emergency plans and responses (emergencyContract.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Case } from '../../domain/cases/case';
import { UniqueViolation, VersionConflict, type Storage, type StoredUser } from '../../server/storage/Storage';
import { T0, createEvent, makeCase, makeReport } from '../cases/caseFactory';
import { commandContract } from './commandContract';
import { emergencyContract } from './emergencyContract';
import { lockContract, scenarioContract } from './scenarioContract';
import type { StorageHarness } from './storageHarness';

export type { StorageHarness } from './storageHarness';


export function describeStorageContract(name: string, open: () => Promise<StorageHarness>): void {
  describe(`storage contract: ${name}`, () => {
    let h: StorageHarness;
    let s: Storage;
    beforeEach(async () => {
      h = await open();
      s = h.storage;
    });
    afterEach(async () => {
      await h.cleanup();
    });

    const insert = async (c: Case): Promise<void> => {
      await s.commit({ case: c, reports: [makeReport(c)], events: [createEvent(c)] });
    };

    it('hands out increasing case ids that survive a reopen', async () => {
      expect(await s.nextCaseId()).toBe('C00000001');
      expect(await s.nextCaseId()).toBe('C00000002');
      s = await h.reopen();
      expect(await s.nextCaseId()).toBe('C00000003');
    });

    it('keeps a photo byte for byte across a reopen and refuses a second one with its id', async () => {
      const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 1, 2, 254, 255]);
      await s.insertPhoto({ id: 'a'.repeat(24) + '.jpg', type: 'image/jpeg', bytes });
      s = await h.reopen();
      const photo = await s.getPhoto('a'.repeat(24) + '.jpg');
      expect(photo?.type).toBe('image/jpeg');
      expect(Buffer.from(photo!.bytes).equals(bytes)).toBe(true);
      expect(await s.getPhoto('b'.repeat(24) + '.jpg')).toBeUndefined();
      await expect(s.insertPhoto({ id: 'a'.repeat(24) + '.jpg', type: 'image/png', bytes })).rejects.toThrow();
    });

    it('stores a case with its report and events, numbering events in order', async () => {
      const c = makeCase({ id: 'C00000001', componentCode: '4419000101000001' });
      const events = await s.commit({
        case: c,
        reports: [makeReport(c, { trackingCode: 'ABCDEFGH23' })],
        events: [createEvent(c), { ...createEvent(c), action: 'merge', note: 'second', data: { reportId: 'R2', n: 2, ok: true } }],
      });
      expect(events.map((e) => e.action)).toEqual(['create', 'merge']);
      expect(events[1]!.seq).toBeGreaterThan(events[0]!.seq);
      expect(await s.getCase(c.id)).toEqual(c);
      expect(await s.getReports(c.id)).toEqual([makeReport(c, { trackingCode: 'ABCDEFGH23' })]);
      expect((await s.getReportByTrackingCode('ABCDEFGH23'))?.caseId).toBe(c.id);
      const stored = await s.getEvents(c.id);
      expect(stored).toEqual(events);
      expect(stored[1]).toMatchObject({ note: 'second', data: { reportId: 'R2', n: 2, ok: true }, at: T0, to: 'reported' });
      expect(await s.getCase('C99999999')).toBeUndefined();
    });

    it('updates only from the expected version, and a stale update changes nothing', async () => {
      const c = makeCase({ id: 'C00000001' });
      await insert(c);
      const v2 = { ...c, status: 'registered' as const, version: 2 };
      await s.commit({ case: v2, expectedVersion: 1, events: [{ ...createEvent(c), action: 'register', from: 'reported', to: 'registered' }] });
      const stale = { ...c, status: 'cancelled' as const, version: 2 };
      await expect(s.commit({ case: stale, expectedVersion: 1, events: [{ ...createEvent(c), action: 'cancel', to: 'cancelled' }] })).rejects.toBeInstanceOf(
        VersionConflict,
      );
      expect((await s.getCase(c.id))?.status).toBe('registered');
      expect((await s.getEvents(c.id)).map((e) => e.action)).toEqual(['create', 'register']);
    });

    it('stores an idempotent answer with the change; a second use of the key rolls the whole write back', async () => {
      const c = makeCase({ id: 'C00000001' });
      const events = await s.commit({
        case: c,
        reports: [makeReport(c)],
        events: [createEvent(c)],
        idempotency: { key: 'u1:create:key-0001', answer: (ev) => ({ statusCode: 201, body: { id: c.id, seq: ev[0]!.seq } }) },
      });
      expect(await s.getIdempotent('u1:create:key-0001')).toEqual({ statusCode: 201, body: { id: c.id, seq: events[0]!.seq } });
      expect(await s.getIdempotent('u1:create:other')).toBeUndefined();
      // Answers are kept for a while, then pruned by age.
      expect(await s.pruneIdempotent(Date.now() - 60_000)).toBe(0);
      expect(await s.getIdempotent('u1:create:key-0001')).toBeDefined();
      const again = makeCase({ id: 'C00000002' });
      const err = await s
        .commit({ case: again, events: [createEvent(again)], idempotency: { key: 'u1:create:key-0001', answer: () => ({ statusCode: 201, body: {} }) } })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UniqueViolation);
      expect((err as UniqueViolation).what).toBe('idempotency');
      expect(await s.getCase(again.id)).toBeUndefined();
      expect(await s.pruneIdempotent(Date.now() + 1)).toBe(1);
      expect(await s.getIdempotent('u1:create:key-0001')).toBeUndefined();
      expect(await s.getEvents(again.id)).toEqual([]);
    });

    it('refuses a second case for the same alarm', async () => {
      const a = makeCase({ id: 'C00000001', source: 'iot' });
      await s.commit({ case: a, reports: [makeReport(a, { alarmId: 'P00001-lamp:lamp-fault' })], events: [createEvent(a)] });
      expect((await s.getReportByAlarmId('P00001-lamp:lamp-fault'))?.caseId).toBe(a.id);
      const b = makeCase({ id: 'C00000002', source: 'iot' });
      const err = await s.commit({ case: b, reports: [makeReport(b, { alarmId: 'P00001-lamp:lamp-fault' })], events: [createEvent(b)] }).catch((e: unknown) => e);
      expect((err as UniqueViolation).what).toBe('alarm');
      expect(await s.getCase(b.id)).toBeUndefined();
    });

    it('keeps the audit trail append-only at the database level', async () => {
      const c = makeCase({ id: 'C00000001' });
      await insert(c);
      await expect(h.exec("UPDATE case_events SET note = 'rewritten'")).rejects.toThrow(/append-only/);
      await expect(h.exec('DELETE FROM case_events')).rejects.toThrow(/append-only/);
      expect(await s.getEvents(c.id)).toHaveLength(1);
      expect((await s.getEvents(c.id))[0]!.note).toBeUndefined();
    });

    it('replaces a report with the same id (a citizen rating) without adding one', async () => {
      const c = makeCase({ id: 'C00000001', source: 'citizen' });
      await s.commit({ case: c, reports: [makeReport(c, { trackingCode: 'TRACK23456' })], events: [createEvent(c)] });
      const rated = { ...c, rating: 4, version: 2 };
      await s.commit({ case: rated, expectedVersion: 1, reports: [makeReport(c, { trackingCode: 'TRACK23456', rating: 4 })], events: [{ ...createEvent(c), action: 'rate' }] });
      const reports = await s.getReports(c.id);
      expect(reports).toHaveLength(1);
      expect(reports[0]!.rating).toBe(4);
    });

    it('lists cases newest first with filters, text search and paging', async () => {
      const cases = [
        makeCase({ id: 'C00000001', createdAt: T0, status: 'dispatched', departmentId: 'D-LIGHT', gridCode: '44190000100101', categoryId: 'lamp-out', kind: 'component', componentCode: '4419000118000001' }),
        makeCase({ id: 'C00000002', createdAt: T0 + 1000, status: 'handling', departmentId: 'D-WATER', gridCode: '44190000100102', overdue: true }),
        makeCase({ id: 'C00000003', createdAt: T0 + 2000, status: 'reported', source: 'citizen', description: 'Water 100% over the kerb_line' }),
        makeCase({ id: 'C00000004', createdAt: T0 + 3000, status: 'closed', departmentId: 'D-LIGHT', gridCode: '44190000200101', urgency: 'urgent' }),
      ];
      for (const c of cases) await insert(c);
      const ids = async (f: Partial<Parameters<Storage['listCases']>[0]>): Promise<string[]> =>
        (await s.listCases({ limit: 50, offset: 0, ...f })).items.map((c) => c.id);
      expect(await ids({})).toEqual(['C00000004', 'C00000003', 'C00000002', 'C00000001']);
      expect(await ids({ departmentId: 'D-LIGHT' })).toEqual(['C00000004', 'C00000001']);
      expect(await ids({ gridCode: '441900001' })).toEqual(['C00000002', 'C00000001']);
      expect(await ids({ overdue: true })).toEqual(['C00000002']);
      expect(await ids({ source: 'citizen' })).toEqual(['C00000003']);
      expect(await ids({ urgency: 'urgent' })).toEqual(['C00000004']);
      expect(await ids({ statuses: ['dispatched', 'handling'] })).toEqual(['C00000002', 'C00000001']);
      expect(await ids({ status: 'closed', kind: 'event' })).toEqual(['C00000004']);
      expect(await ids({ kind: 'component', categoryId: 'lamp-out' })).toEqual(['C00000001']);
      // Search is case-insensitive, matches category names and treats % and _ literally.
      expect(await ids({ q: 'WATER 100%' })).toEqual(['C00000003']);
      expect(await ids({ q: 'kerb_line' })).toEqual(['C00000003']);
      expect(await ids({ q: '100_' })).toEqual([]);
      expect(await ids({ q: '路灯不亮' })).toEqual(['C00000001']);
      expect(await ids({ q: '4419000118' })).toEqual(['C00000001']);
      const page = await s.listCases({ limit: 2, offset: 1 });
      expect(page.total).toBe(4);
      expect(page.items.map((c) => c.id)).toEqual(['C00000003', 'C00000002']);
    });

    it('finds open duplicate candidates by category, box, time and component', async () => {
      await insert(makeCase({ id: 'C00000001', lon: 113.62, lat: 22.78 }));
      await insert(makeCase({ id: 'C00000002', lon: 113.63, lat: 22.78 }));
      await insert(makeCase({ id: 'C00000003', lon: 113.62, lat: 22.78, status: 'closed' }));
      await insert(makeCase({ id: 'C00000004', lon: 113.62, lat: 22.78, categoryId: 'dirty-road' }));
      await insert(makeCase({ id: 'C00000005', lon: 113.62, lat: 22.78, createdAt: T0 - 86_400_000 }));
      await insert(makeCase({ id: 'C00000006', lon: 113.7, lat: 22.9, componentCode: '4419000101000001' }));
      const box = { categoryId: 'garbage-pile', west: 113.619, east: 113.621, south: 22.779, north: 22.781, since: T0 - 3_600_000 };
      expect((await s.findOpenNear(box)).map((c) => c.id)).toEqual(['C00000001']);
      const withComponent = await s.findOpenNear({ ...box, componentCode: '4419000101000001' });
      expect(withComponent.map((c) => c.id).sort()).toEqual(['C00000001', 'C00000006']);
    });

    it('lists cases whose deadline passed, skipping suspended, finished and escalated ones', async () => {
      await insert(makeCase({ id: 'C00000001', status: 'dispatched', dueAt: T0 + 10 }));
      await insert(makeCase({ id: 'C00000002', status: 'suspended', dueAt: T0 + 10 }));
      await insert(makeCase({ id: 'C00000003', status: 'handling', dueAt: T0 + 5, overdue: true, escalation: 1 }));
      await insert(makeCase({ id: 'C00000004', status: 'handling', dueAt: T0 + 5, overdue: true, escalation: 2 }));
      await insert(makeCase({ id: 'C00000005', status: 'closed', dueAt: T0 }));
      await insert(makeCase({ id: 'C00000006', status: 'registered', dueAt: T0 + 1_000_000 }));
      expect((await s.listDue(T0 + 100, 10)).map((c) => c.id)).toEqual(['C00000003', 'C00000001']);
      expect((await s.listDue(T0 + 100, 1)).map((c) => c.id)).toEqual(['C00000003']);
    });

    it('returns the KPI fields of cases created in a window', async () => {
      await insert(makeCase({ id: 'C00000001', status: 'closed', departmentId: 'D-LIGHT', gridCode: '44190000100101', dispatchedAt: T0, handledLate: false, reopenCount: 1, rating: 4.5 }));
      await insert(makeCase({ id: 'C00000002', status: 'reported', createdAt: T0 + 10, overdue: true }));
      await insert(makeCase({ id: 'C00000003', createdAt: T0 + 100 }));
      const rows = await s.kpiRows(T0, T0 + 100);
      expect(rows).toHaveLength(2);
      expect(rows).toContainEqual({ status: 'closed', departmentId: 'D-LIGHT', gridCode: '44190000100101', dispatched: true, handledLate: false, reopenCount: 1, rating: 4.5, overdue: false });
      expect(rows).toContainEqual({ status: 'reported', dispatched: false, reopenCount: 0, overdue: true });
    });

    it('stores users with unique names', async () => {
      const user: StoredUser = { id: 'u1', username: 'li.hua', displayName: 'Li Hua', role: 'handler', departmentId: 'D-LIGHT', active: true, createdAt: T0, passwordHash: 'scrypt$x' };
      expect(await s.countUsers()).toBe(0);
      await s.insertUser(user);
      await s.insertUser({ ...user, id: 'u2', username: 'wang' });
      expect(await s.countUsers()).toBe(2);
      expect(await s.getUserByUsername('li.hua')).toEqual(user);
      const err = await s.insertUser({ ...user, id: 'u3' }).catch((e: unknown) => e);
      expect((err as UniqueViolation).what).toBe('username');
      await s.updateUser({ ...user, active: false, displayName: 'Li H.' });
      expect(await s.getUser('u1')).toMatchObject({ active: false, displayName: 'Li H.' });
      expect((await s.listUsers()).map((u) => u.username)).toEqual(['li.hua', 'wang']);
      expect(await s.getUser('nobody')).toBeUndefined();
    });

    scenarioContract(() => h);
    lockContract(() => h);
    commandContract(() => h);
    emergencyContract(() => h);
  });
}
