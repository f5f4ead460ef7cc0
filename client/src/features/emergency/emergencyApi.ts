/** The emergency API (docs/emergency.md): resources, plans, proposals, dispatches, responses. */
import type { DispatchBody, EmergencyPlan, EmergencyResponse, Incident, PlanBody, Proposal, ResourceRecord } from '../../../../domain/emergency';
import type { CaseListResponse } from '../../../../domain/cases/api';
import { getJson as getAuthed, sendJson } from '../../shared/http';

export const getResources = (): Promise<ResourceRecord[]> => getAuthed('/api/emergency/resources');
export const getPlans = (): Promise<EmergencyPlan[]> => getAuthed('/api/emergency/plans');
export const getResponses = (): Promise<EmergencyResponse[]> => getAuthed('/api/emergency/responses');
export const openCasesOf = (categoryId: string): Promise<CaseListResponse> => getAuthed(`/api/cases?categoryId=${encodeURIComponent(categoryId)}&limit=50`);

export function propose(incident: Incident): Promise<Proposal> {
  return sendJson<Proposal>('POST', '/api/emergency/proposals', incident);
}

export function dispatch(body: DispatchBody): Promise<EmergencyResponse> {
  return sendJson<EmergencyResponse>('POST', '/api/emergency/dispatches', body);
}

export function savePlan(body: PlanBody): Promise<EmergencyPlan> {
  return sendJson<EmergencyPlan>('PUT', '/api/emergency/plans', body);
}
