/**
 * Saved simulation runs ("scenarios") as the HTTP API and the live socket show them. Planners
 * run flood, traffic and green-wave scenarios against the twin, watch their progress, and compare
 * finished ones; each keeps its params, a small summary and its result files.
 */
export const SCENARIO_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type ScenarioStatus = (typeof SCENARIO_STATUSES)[number];

export const SCENARIO_KIND_NAMES = ['flood', 'traffic', 'greenwave'] as const;
export type ScenarioKindName = (typeof SCENARIO_KIND_NAMES)[number];

export interface Scenario {
  id: string;
  kind: ScenarioKindName;
  name: string;
  params: unknown;
  status: ScenarioStatus;
  /** 0..1 while running; 1 when done. */
  progress: number;
  /** Latest progress message, or why it failed. */
  message?: string;
  /** ms since epoch. */
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  summary?: Record<string, unknown>;
  /** Result files, fetched from /api/scenarios/{id}/files/{name}. */
  files?: string[];
  error?: string;
}

/** Statuses after which a scenario never changes again. */
export function isFinished(status: ScenarioStatus): boolean {
  return status === 'done' || status === 'failed' || status === 'cancelled';
}
