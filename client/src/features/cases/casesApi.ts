/** The case, auth, KPI and public report API (docs/cases.md), typed by domain/cases/api.ts. */
import type {
  CaseDetail,
  CaseListQuery,
  CaseListResponse,
  CaseMeta,
  CreateCaseRequest,
  CreateCaseResponse,
  KpiResponse,
  LoginRequest,
  LoginResponse,
  PublicProgress,
  PublicRatingRequest,
  PublicReportRequest,
  PublicReportResponse,
  CaseActionResponse,
} from '../../../../domain/cases/api';
import type { CaseActionRequest } from '../../../../domain/cases/actions';
import { getJson, HttpError, sendJson } from '../../shared/http';
import { authHeaders } from '../../shared/session';

/** A fresh key per user intent: a retry of the same intent reuses it, so nothing is created twice. */
export function idempotencyKey(): string {
  return `web-${crypto.randomUUID()}`;
}

const withKey = (key: string): Record<string, string> => ({ 'idempotency-key': key });

export const casesApi = {
  login: (body: LoginRequest) => sendJson<LoginResponse>('POST', '/api/auth/login', body),
  meta: () => getJson<CaseMeta>('/api/cases/meta'),
  list(query: CaseListQuery): Promise<CaseListResponse> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
    return getJson<CaseListResponse>(`/api/cases?${params}`);
  },
  detail: (id: string) => getJson<CaseDetail>(`/api/cases/${encodeURIComponent(id)}`),
  create: (body: CreateCaseRequest, key: string) => sendJson<CreateCaseResponse>('POST', '/api/cases', body, withKey(key)),
  act: (id: string, body: CaseActionRequest, key: string) =>
    sendJson<CaseActionResponse>('POST', `/api/cases/${encodeURIComponent(id)}/actions`, body, withKey(key)),
  photoUrl: (caseId: string, photoId: string) => `/api/cases/${encodeURIComponent(caseId)}/photos/${encodeURIComponent(photoId)}`,
  kpis: (by: 'department' | 'grid') => getJson<KpiResponse>(`/api/kpis?by=${by}`),
  publicReport: (body: PublicReportRequest, key: string) => sendJson<PublicReportResponse>('POST', '/api/reports', body, withKey(key)),
  publicProgress: (code: string) => getJson<PublicProgress>(`/api/reports/${encodeURIComponent(code)}`),
  publicRate: (code: string, body: PublicRatingRequest) =>
    sendJson<PublicProgress>('POST', `/api/reports/${encodeURIComponent(code)}/rating`, body),
};

/** Reads an image file as base64 (no data: prefix), as the API takes photos. */
export function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the photo'));
    reader.readAsDataURL(file);
  });
}

/** A case photo as an object URL: the route needs the token, which an <img src> cannot send. */
export async function photoObjectUrl(caseId: string, photoId: string): Promise<string> {
  const url = casesApi.photoUrl(caseId, photoId);
  const response = await fetch(url, { headers: authHeaders() });
  if (!response.ok) throw new HttpError(url, response.status, `${response.status} ${response.statusText}`);
  return URL.createObjectURL(await response.blob());
}
