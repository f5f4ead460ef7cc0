/** The scenario API (server/routes/scenarios): submit, list, follow, fetch results, cancel, delete. */
import type { Scenario, ScenarioKindName } from '../../../../domain/scenarios';
import { getJson, sendJson } from '../../shared/http';

const BASE = '/api/scenarios';

export function listScenarios(kind?: ScenarioKindName): Promise<Scenario[]> {
  return getJson<Scenario[]>(kind ? `${BASE}?kind=${kind}` : BASE);
}

export function submitScenario(kind: ScenarioKindName, name: string, params: unknown): Promise<Scenario> {
  return sendJson<Scenario>('POST', BASE, { kind, name, params });
}

export function cancelScenario(id: string): Promise<Scenario> {
  return sendJson<Scenario>('POST', `${BASE}/${id}/cancel`);
}

export function deleteScenario(id: string): Promise<void> {
  return sendJson<void>('DELETE', `${BASE}/${id}`);
}

export function scenarioFileUrl(id: string, name: string): string {
  return `${BASE}/${id}/files/${encodeURIComponent(name)}`;
}

export function getScenarioJson<T>(id: string, name: string): Promise<T> {
  return getJson<T>(scenarioFileUrl(id, name));
}

export async function getScenarioBytes(id: string, name: string): Promise<ArrayBuffer> {
  const response = await fetch(scenarioFileUrl(id, name));
  if (!response.ok) throw new Error(`${scenarioFileUrl(id, name)}: ${response.status} ${response.statusText}`);
  return response.arrayBuffer();
}
