/**
 * How twin records and their live state are presented by the API (one place, so /api/poles/:id
 * and /api/terminals agree on what a terminal looks like).
 */
import type { PoleRecord, TerminalRecord } from '../../domain/twinPackage';
import type { LiveState } from '../devices/state/LiveState';
import type { TerminalBody } from './schemas';

export function terminalView(record: TerminalRecord, live: LiveState): TerminalBody {
  const state = live.terminal(record.id);
  const view: TerminalBody = {
    id: record.id,
    poleId: record.poleId,
    type: record.type,
    model: record.model,
    status: state?.status ?? 'unknown',
    ts: state?.ts ?? 0,
    receivedAt: state?.receivedAt ?? 0,
    values: { ...state?.values },
  };
  if (state?.faulted && state.faultCode) view.faultCode = state.faultCode;
  if (record.camera) view.camera = record.camera;
  return view;
}

export function poleView(pole: PoleRecord, live: LiveState, terminalCount: number) {
  return {
    id: pole.id,
    code: pole.code,
    lon: pole.lon,
    lat: pole.lat,
    groundHeight: pole.groundHeight,
    heightM: pole.heightM,
    roadId: pole.roadId,
    ...(pole.gridCode === undefined ? {} : { gridCode: pole.gridCode }),
    status: live.poleStatus(pole.id),
    terminalCount,
  };
}
