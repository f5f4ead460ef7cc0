/**
 * Emergency plans and responses as every Storage adapter must keep them (run inside
 * storageContract.ts against SQLite and PostgreSQL): plans saved, replaced and removed;
 * responses replaced on update and listed newest first.
 */
import { expect, it } from 'vitest';
import type { EmergencyResponse } from '../../domain/emergency';
import { defaultPlans } from '../../server/emergency/defaultPlans';
import type { StorageHarness } from './storageHarness';

function response(n: number, status: 'dispatched' | 'on-site'): EmergencyResponse {
  return {
    id: `ER-${n}`,
    caseId: `C0000000${n}`,
    createdAt: 1_750_000_000_000 + n,
    createdBy: 'dispatcher',
    proposal: { incident: { source: 'manual', eventType: 'fire', level: 'IV', lon: 113.6, lat: 22.8 }, planId: 'fire-IV', planName: { 'zh-CN': '火', en: 'Fire' }, units: [], supplies: [], evacuation: [], shelters: [], cameras: [], departments: [], closedEdges: 0, shortfalls: [] },
    units: [{ resourceId: 'FS-1', kind: 'fire-station', name: 'Fire', etaS: 90, distanceM: 800, route: [[113.6, 22.8], [113.61, 22.8]], orderId: `o-${n}`, status, lon: 113.6, lat: 22.8, updatedAt: 0 }],
  };
}

export function emergencyContract(harness: () => StorageHarness): void {
  it('keeps emergency plans (replaced by id, removed) and responses (replaced on update, newest first)', async () => {
    const s = harness().storage;
    const [a, b] = defaultPlans(1);
    await s.saveEmergencyPlan(a!);
    await s.saveEmergencyPlan(b!);
    await s.saveEmergencyPlan({ ...a!, evacuationRadiusM: 999, updatedAt: 2 });
    const plans = await s.listEmergencyPlans();
    expect(plans.map((p) => p.id)).toEqual([a!.id, b!.id].sort());
    expect(plans.find((p) => p.id === a!.id)!.evacuationRadiusM).toBe(999);
    expect(await s.deleteEmergencyPlan(b!.id)).toBe(true);
    expect(await s.deleteEmergencyPlan(b!.id)).toBe(false);

    await s.saveEmergencyResponse(response(1, 'dispatched'));
    await s.saveEmergencyResponse(response(2, 'dispatched'));
    await s.saveEmergencyResponse(response(1, 'on-site'));
    expect((await s.getEmergencyResponse('ER-1'))!.units[0]!.status).toBe('on-site');
    expect(await s.getEmergencyResponse('ER-9')).toBeUndefined();
    expect((await s.listEmergencyResponses(10)).map((r) => r.id)).toEqual(['ER-2', 'ER-1']);
    expect((await s.listEmergencyResponses(1)).map((r) => r.id)).toEqual(['ER-2']);
  });
}
