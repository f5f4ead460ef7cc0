/** The emergency plan and response SQL shared by the SQLite and PostgreSQL adapters (emergencyStorage.ts). */
import type { EmergencyPlan, EmergencyResponse } from '../../domain/emergency';
import type { Placeholder, SqlValue } from './rows';

export function upsertPlanSql(ph: Placeholder): string {
  return `INSERT INTO emergency_plans (id, updated_at, data) VALUES (${ph(1)}, ${ph(2)}, ${ph(3)})
    ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data`;
}

export function planValues(p: EmergencyPlan): SqlValue[] {
  return [p.id, p.updatedAt, JSON.stringify(p)];
}

export function upsertResponseSql(ph: Placeholder): string {
  return `INSERT INTO emergency_responses (id, case_id, created_at, data) VALUES (${ph(1)}, ${ph(2)}, ${ph(3)}, ${ph(4)})
    ON CONFLICT (id) DO UPDATE SET data = excluded.data`;
}

export function responseValues(r: EmergencyResponse): SqlValue[] {
  return [r.id, r.caseId, r.createdAt, JSON.stringify(r)];
}
