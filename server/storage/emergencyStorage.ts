/**
 * Emergency plans and dispatched responses in the database (server/emergency/): each row keeps
 * its record as JSON beside the columns lists sort and filter on. Both adapters share the SQL in
 * emergencyRows.ts.
 */
import type { EmergencyPlan, EmergencyResponse } from '../../domain/emergency';

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
