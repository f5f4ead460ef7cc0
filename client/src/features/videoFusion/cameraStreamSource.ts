/**
 * A camera's live stream as a fusion source: `POST /api/cameras/:id/stream` (signed-in users)
 * answers where to play it; an HLS URL plays through hls.js into a muted <video> kept off the
 * page. The embedded encoder's URLs carry a token that expires (`expiresAt`): the stream is asked
 * for again shortly before, and the player moves to the new URL without stopping the picture.
 */
import Hls from 'hls.js';
import type { StreamProtocol } from '../../../../domain/cameras';
import { sendJson } from '../../shared/http';
import { videoElementSource, type VideoSource } from './videoSources';

interface StreamAnswer {
  cameraId: string;
  streams: Array<{ protocol: StreamProtocol; url: string }>;
  embedded: boolean;
  expiresAt?: number;
}

/** Ask for a fresh URL this long before the current one's token expires. */
const RENEW_BEFORE_MS = 30_000;

async function hlsUrl(cameraId: string): Promise<{ url: string; expiresAt?: number }> {
  const answer = await sendJson<StreamAnswer>('POST', `/api/cameras/${encodeURIComponent(cameraId)}/stream`);
  const hls = answer.streams.find((s) => s.protocol === 'hls');
  if (!hls) throw new Error(answer.streams.length === 0 ? 'the camera has no stream' : 'the camera has no HLS stream to fuse');
  return { url: hls.url, expiresAt: answer.expiresAt };
}

export async function cameraStreamSource(cameraId: string): Promise<VideoSource> {
  const first = await hlsUrl(cameraId);
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.autoplay = true;
  let hls: Hls | undefined;
  if (Hls.isSupported()) {
    hls = new Hls();
    hls.loadSource(first.url);
    hls.attachMedia(video);
  } else {
    video.src = first.url;
  }
  let renewal: ReturnType<typeof setTimeout> | undefined;
  const scheduleRenewal = (expiresAt: number | undefined): void => {
    if (expiresAt === undefined) return;
    renewal = setTimeout(() => {
      hlsUrl(cameraId)
        .then((next) => {
          if (hls) hls.loadSource(next.url);
          else video.src = next.url;
          scheduleRenewal(next.expiresAt);
        })
        .catch(() => scheduleRenewal(Date.now() + RENEW_BEFORE_MS + 5_000));
    }, Math.max(1_000, expiresAt - Date.now() - RENEW_BEFORE_MS));
  };
  scheduleRenewal(first.expiresAt);
  void video.play().catch(() => undefined);
  return videoElementSource(video, () => {
    clearTimeout(renewal);
    hls?.destroy();
    video.pause();
    video.removeAttribute('src');
    video.load();
  });
}
