/**
 * Emergency plans and dispatched responses in the database (server/emergency/): each row keeps
 * its record as JSON beside the columns lists sort and filter on. Both adapters share this SQL.
 */
import type { EmergencyPlan, EmergencyResponse } from '../../domain/emergency';
import type { Placeholder, SqlValue } from './rows';

export interface EmergencyStorage {
  saveEmergencyPlan(plan: EmergencyPlan): Promise<void>;
  listEmergencyPlans(): Promise<EmergencyPlan[]>;
  /** False when there was none. */
  deleteEmergencyPlan(id: string): Promise<boolean>;
  /** Inserts or replaces the response. */
  saveEmergencyResponse(response: EmergencyResponse): Promise<void>;
  getEmergencyResponse(id: string): Promise<EmergencyResponse | undefined>;
  /** Newest first. */
  listEmergencyResponses(limit: number): Promise<EmergencyResponse[]>;
}

/** Migration: the plans an admin edits and the responses dispatched (their units' last status). */
export const emergencyTables = (bigint: string): string => `
CREATE TABLE emergency_plans (
  id TEXT PRIMARY KEY,
  updated_at ${bigint} NOT NULL,
  data TEXT NOT NULL
);
CREATE TABLE emergency_responses (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL,
  created_at ${bigint} NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX emergency_responses_created ON emergency_responses (created_at);
`;

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
