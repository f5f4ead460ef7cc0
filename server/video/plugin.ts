/**
 * Live camera video (docs/video.md) as `app.video`: the demo's embedded encoders (EncoderPool),
 * the stream tokens the camera routes issue and check, and the JPEG of the frame a video-AI alarm
 * was raised on (the case it opens keeps it as a photo).
 *
 * A real city's cameras name their media server's HLS/HTTP-FLV/WHEP outputs in their registry
 * record and this plugin starts nothing for them; the embedded encoder serves cameras marked
 * `embedded` (the demo's), rendering what the twin says the camera sees.
 */
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fp from 'fastify-plugin';
import type { CameraInfo } from '../../domain/cameras';
import type { Alarm } from '../../domain/live';
import { VIDEO_EVENT_INFO } from '../../domain/videoEvents';
import { Errors } from '../errors';
import { CameraScenes } from './CameraScenes';
import { readRoadSources, type RoadSource } from './cameraScene';
import { EncoderPool, type EncoderStats } from './EncoderPool';
import type { FrameOptions } from './FrameRenderer';
import { snapshotJpeg } from './snapshotJpeg';
import { StreamTokens } from './streamTokens';

export interface VideoPluginOptions {
  /** Encoders that may run at once (`serve --video-encoders`); default 4; 0 turns the embedded streams off. */
  maxEncoders?: number;
  /** Frames per second, default 15. */
  fps?: number;
  /** Frame size, default 640×360. */
  width?: number;
  height?: number;
  /** HLS segment length, seconds (default 0.5). */
  segmentS?: number;
  /** A viewer whose player stopped asking for segments this long is gone (default 6 s). */
  idleMs?: number;
  /** Default: the binary of @ffmpeg-installer/ffmpeg. */
  ffmpegPath?: string;
  /** The simulator's speed-up and seed: light, traffic and rain follow its clock and showers. */
  speedup?: number;
  weatherSeed?: number;
}

export interface VideoService {
  readonly pool: EncoderPool;
  readonly tokens: StreamTokens;
  readonly scenes: CameraScenes;
  readonly ffmpegPath: string;
  /** The camera record of a camera terminal, or undefined (unknown id, not a camera, no pose). */
  cameraOf(id: string): CameraInfo | undefined;
  frameOptions(now?: number): FrameOptions;
  /** The JPEG (base64) of the frame a video-AI alarm fired on, with its box; undefined when there is none to draw. */
  alarmSnapshot(alarm: Alarm): Promise<string | undefined>;
  stats(): EncoderStats & { snapshots: number; snapshotsFailed: number };
}

declare module 'fastify' {
  interface FastifyInstance {
    video: VideoService;
  }
}

/** Snapshots waiting beyond this are skipped (a burst of alarms must not queue ffmpeg runs without end). */
const MAX_SNAPSHOT_QUEUE = 8;

export function defaultFfmpegPath(): string {
  const require = createRequire(import.meta.url);
  return (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
}

export default fp<VideoPluginOptions>(
  async (app, opts) => {
    const width = opts.width ?? 640;
    const height = opts.height ?? 360;
    const fps = opts.fps ?? 15;
    const maxEncoders = opts.maxEncoders ?? 4;
    if (!Number.isInteger(maxEncoders) || maxEncoders < 0 || maxEncoders > 256) {
      throw new Errors.BadOption(`video: encoders must be an integer in 0..256, got ${String(maxEncoders)}`);
    }
    if (!(Number.isInteger(width) && Number.isInteger(height) && width >= 64 && height >= 64 && width <= 1920 && height <= 1080 && width % 2 === 0 && height % 2 === 0)) {
      throw new Errors.BadOption(`video: frame size must be even, 64×64 to 1920×1080, got ${width}×${height}`);
    }
    const ffmpegPath = opts.ffmpegPath ?? defaultFfmpegPath();
    const speedup = opts.speedup ?? 1;
    const weatherSeed = opts.weatherSeed ?? 1;
    const lonDeg = app.twin.manifest.center.lon;
    const simStart = Date.now();

    let roads: Promise<readonly RoadSource[]> | undefined;
    const cameraOf = (id: string): CameraInfo | undefined => app.twin.terminalById.get(id)?.camera;
    const scenes = new CameraScenes(cameraOf, () => (roads ??= readRoadSources(app.twin.dir, app.twin.manifest.files.roads)), width, height);
    const frameOptions = (now = Date.now()): FrameOptions => ({ simTimeMs: simStart + (now - simStart) * speedup, wallMs: now, lonDeg, weatherSeed });

    const rootDir = mkdtempSync(path.join(tmpdir(), 'citytwin-video-'));
    let pool: EncoderPool;
    try {
      pool = new EncoderPool({
        ffmpegPath,
        rootDir,
        maxEncoders,
        idleMs: opts.idleMs,
        width,
        height,
        fps,
        segmentS: opts.segmentS,
        rendererFor: (id) => scenes.renderer(id),
        frameOptions: () => frameOptions(),
        log: app.log,
      });
    } catch (err) {
      throw new Errors.BadOption(`video: ${(err as Error).message}`);
    }

    let snapshots = 0;
    let snapshotsFailed = 0;
    let queued = 0;
    let queue: Promise<unknown> = Promise.resolve();
    const alarmSnapshot = async (alarm: Alarm): Promise<string | undefined> => {
      if (alarm.kind !== 'video-ai' || !alarm.bbox || !cameraOf(alarm.terminalId)?.embedded) return undefined;
      if (queued >= MAX_SNAPSHOT_QUEUE) {
        snapshotsFailed += 1;
        return undefined;
      }
      queued += 1;
      const bbox = alarm.bbox;
      const code = alarm.category ? ` ${VIDEO_EVENT_INFO[alarm.category].eventCode}` : '';
      const caption = `${alarm.category ?? 'video-ai'}${code} ${alarm.confidence?.toFixed(2) ?? ''}`.trim();
      const run = queue.then(async () => {
        const renderer = await scenes.renderer(alarm.terminalId);
        return snapshotJpeg(ffmpegPath, renderer, { ...frameOptions(alarm.raisedAt), box: { bbox, caption } });
      });
      queue = run.catch(() => undefined).finally(() => (queued -= 1));
      try {
        const jpeg = await run;
        snapshots += 1;
        return jpeg.toString('base64');
      } catch (err) {
        snapshotsFailed += 1;
        app.log.warn({ alarm: alarm.id, err: (err as Error).message }, 'no snapshot for a video-AI alarm');
        return undefined;
      }
    };

    app.decorate<VideoService>('video', {
      pool,
      tokens: new StreamTokens(),
      scenes,
      ffmpegPath,
      cameraOf,
      frameOptions,
      alarmSnapshot,
      stats: () => ({ ...pool.stats(), snapshots, snapshotsFailed }),
    });

    app.addHook('onClose', async () => {
      await pool.close();
      rmSync(rootDir, { recursive: true, force: true });
    });
  },
  { name: 'citytwin-video', fastify: '5.x', dependencies: ['citytwin-twin'] },
);
