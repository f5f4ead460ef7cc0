/**
 * Which of a camera's stream endpoints the live view plays: HLS (hls.js, or the browser's own
 * player) first, then HTTP-FLV (mpegts.js); WHEP needs a WebRTC session the view does not open,
 * so a camera with only WHEP shows the twin's view with that said. Engine-free.
 */
import type { CameraStream } from '../../../../../domain/cameras';

export type PlayChoice = { kind: 'hls' | 'flv'; url: string } | { kind: 'none'; reason: 'no-stream' | 'unsupported' };

export function chooseStream(streams: readonly CameraStream[]): PlayChoice {
  const hls = streams.find((s) => s.protocol === 'hls');
  if (hls) return { kind: 'hls', url: hls.url };
  const flv = streams.find((s) => s.protocol === 'flv');
  if (flv) return { kind: 'flv', url: flv.url };
  return { kind: 'none', reason: streams.length === 0 ? 'no-stream' : 'unsupported' };
}

/** When to ask for a fresh stream token: 30 s before the old one expires, at least 5 s from now. */
export function refreshDelayMs(expiresAt: number, now: number): number {
  return Math.max(5000, expiresAt - now - 30_000);
}
