/** The twin package (static files under /twin/) and the resource API (/api/…). */
import type { TwinManifest, PoleRecord, TerminalRecord } from '../../../domain/twinPackage';
import type { LiveStatus, TelemetryValues } from '../../../domain/terminals';
import { getJson } from './http';

export const TWIN_BASE = '/twin/';

export function twinUrl(path: string): string {
  return new URL(path, new URL(TWIN_BASE, location.href)).href;
}

export function loadManifest(): Promise<TwinManifest> {
  return getJson<TwinManifest>(twinUrl('twin.json'));
}

export function loadPoles(manifest: TwinManifest): Promise<PoleRecord[]> {
  return getJson<PoleRecord[]>(twinUrl(manifest.files.poles));
}

/** A pole as the server reports it: its record, live status and each terminal's latest reading. */
export interface PoleDetail extends PoleRecord {
  status: LiveStatus;
  terminals: Array<TerminalRecord & { status: LiveStatus; ts: number; values: TelemetryValues }>;
}

export function loadPoleDetail(id: string, signal?: AbortSignal): Promise<PoleDetail> {
  return getJson<PoleDetail>(`/api/poles/${encodeURIComponent(id)}`, signal);
}
