/**
 * `openCameraVideo(cameraId)`: a playing <video> element for a camera, for the live view, the
 * patrol wall and video fusion (which projects the element onto the scene).
 *
 * It asks the server where to play the camera (`POST /api/cameras/:id/stream`, with the login):
 * the demo's embedded encoder answers with a tokenised HLS URL, a real camera with its media
 * server's HLS or HTTP-FLV. HLS plays through hls.js (or the browser's own HLS where it has one),
 * FLV through mpegts.js; both are loaded only when a camera is opened. The stream token is
 * renewed before it expires. A camera with nothing playable resolves with `video: null` and the
 * reason, and the caller shows the twin's view from the camera's pose instead.
 */
import type { CameraStream } from '../../../../domain/cameras';
import { sendJson } from '../../shared/http';
import { chooseStream, refreshDelayMs, type PlayChoice } from './core/streamChoice';

export interface StreamAnswer {
  cameraId: string;
  streams: CameraStream[];
  embedded: boolean;
  expiresAt?: number;
}

export interface CameraVideo {
  cameraId: string;
  /** The element, muted and playing (inline); null when the camera has no playable stream. */
  video: HTMLVideoElement | null;
  /** Why there is no video: the camera has no stream, or only kinds this player cannot play. */
  reason?: 'no-stream' | 'unsupported';
  protocol?: 'hls' | 'flv';
  /** Stops playback and releases the player; the server's encoder stops once no one asks. */
  close(): void;
}

/** How long to wait for the first frame before giving up. */
const FIRST_FRAME_TIMEOUT_MS = 20_000;

function askStream(cameraId: string): Promise<StreamAnswer> {
  return sendJson<StreamAnswer>('POST', `/api/cameras/${encodeURIComponent(cameraId)}/stream`);
}

function newVideoElement(): HTMLVideoElement {
  const video = document.createElement('video');
  video.muted = true;
  video.autoplay = true;
  video.playsInline = true;
  // Fusion draws the element into WebGL: same origin, but say so for any media server's CORS.
  video.crossOrigin = 'anonymous';
  video.dataset.camera = '';
  return video;
}

/** Resolves when the element has a decoded frame to show. */
function firstFrame(video: HTMLVideoElement, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (video.readyState >= 2) return resolve();
    const timer = setTimeout(() => done(new Error('no video frame within 20 s')), FIRST_FRAME_TIMEOUT_MS);
    const onData = (): void => done();
    const onAbort = (): void => done(new DOMException('closed', 'AbortError'));
    function done(err?: Error): void {
      clearTimeout(timer);
      video.removeEventListener('loadeddata', onData);
      signal.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    }
    video.addEventListener('loadeddata', onData);
    signal.addEventListener('abort', onAbort);
  });
}

/** Plays `choice` into `video`; returns the player's stop function and a way to switch URLs. */
async function attach(video: HTMLVideoElement, choice: Extract<PlayChoice, { url: string }>, onFatal: (message: string) => void): Promise<{ stop(): void; load(url: string): void }> {
  if (choice.kind === 'flv') {
    const { default: mpegts } = await import('mpegts.js');
    if (!mpegts.isSupported()) throw new Error('this browser cannot play HTTP-FLV (no Media Source Extensions)');
    let player: ReturnType<typeof mpegts.createPlayer> | undefined;
    const start = (url: string): void => {
      player?.destroy();
      player = mpegts.createPlayer({ type: 'flv', isLive: true, url });
      player.on(mpegts.Events.ERROR, (type: string, detail: string) => onFatal(`${type}: ${detail}`));
      player.attachMediaElement(video);
      player.load();
      void player.play();
    };
    start(choice.url);
    return { stop: () => player?.destroy(), load: start };
  }
  const { default: Hls } = await import('hls.js');
  if (!Hls.isSupported()) {
    if (!video.canPlayType('application/vnd.apple.mpegurl')) throw new Error('this browser cannot play HLS');
    video.src = choice.url;
    return { stop: () => video.removeAttribute('src'), load: (url) => (video.src = url) };
  }
  // Live and short segments: start at the newest one and stay close to the live edge.
  const hls = new Hls({ liveSyncDurationCount: 1, liveMaxLatencyDurationCount: 4, maxBufferLength: 4, backBufferLength: 2, enableWorker: true });
  hls.on(Hls.Events.ERROR, (_event, data) => {
    if (data.fatal) onFatal(`${data.type}: ${data.details}`);
  });
  hls.attachMedia(video);
  hls.loadSource(choice.url);
  return { stop: () => hls.destroy(), load: (url) => hls.loadSource(url) };
}

/**
 * A playing video element for `cameraId`. Rejects when the server refuses (not logged in 401,
 * unknown camera 404, every encoder busy 503: the HttpError carries the server's message) or no
 * frame arrives; `signal` aborts the opening.
 */
export async function openCameraVideo(cameraId: string, signal: AbortSignal = new AbortController().signal): Promise<CameraVideo> {
  const answer = await askStream(cameraId);
  const choice = chooseStream(answer.streams);
  if (choice.kind === 'none') return { cameraId, video: null, reason: choice.reason, close: () => undefined };

  const video = newVideoElement();
  video.dataset.camera = cameraId;
  const local = new AbortController();
  const abort = (): void => local.abort();
  signal.addEventListener('abort', abort);
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let player: { stop(): void; load(url: string): void } | undefined;
  const close = (): void => {
    local.abort();
    signal.removeEventListener('abort', abort);
    if (refreshTimer) clearTimeout(refreshTimer);
    player?.stop();
    video.pause();
    video.removeAttribute('src');
    video.load();
  };
  // A token about to expire (or a player that gave up) gets a fresh URL for the same element.
  const renew = async (): Promise<void> => {
    if (local.signal.aborted) return;
    try {
      const next = await askStream(cameraId);
      const again = chooseStream(next.streams);
      if (again.kind !== 'none' && !local.signal.aborted) player?.load(again.url);
      if (next.expiresAt !== undefined) refreshTimer = setTimeout(() => void renew(), refreshDelayMs(next.expiresAt, Date.now()));
    } catch {
      refreshTimer = setTimeout(() => void renew(), 5000);
    }
  };
  try {
    player = await attach(video, choice, () => {
      if (refreshTimer) clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => void renew(), 1000);
    });
    if (answer.expiresAt !== undefined) refreshTimer = setTimeout(() => void renew(), refreshDelayMs(answer.expiresAt, Date.now()));
    void video.play().catch(() => undefined);
    await firstFrame(video, local.signal);
  } catch (err) {
    close();
    throw err;
  }
  return { cameraId, video, protocol: choice.kind, close };
}
