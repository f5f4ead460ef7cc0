/**
 * The demo's live encoders: one ffmpeg (libx264 → HLS) per camera that someone is watching, fed
 * raw RGB frames from the camera's FrameRenderer over stdin, writing short segments into a
 * folder of its own under the pool's temporary root.
 *
 * Viewers are counted per camera by their stream token's nonce: each playlist or segment request
 * marks its viewer as seen, a viewer not seen for `idleMs` is dropped, and an encoder with no
 * viewers left stops and its folder is removed. At most `maxEncoders` run at once; opening one
 * more throws EncoderLimitError (the route's 503). An encoder whose ffmpeg dies while watched is
 * restarted (counted in `stats().restarts`, shown by /api/health); one that keeps dying is given
 * up (`failed`) and the viewer's next request starts it afresh.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { FrameOptions, FrameRenderer } from './FrameRenderer';

export interface EncoderPoolOptions {
  ffmpegPath: string;
  /** Folder the per-camera HLS folders go in (emptied by the owner on close). */
  rootDir: string;
  maxEncoders: number;
  /** A viewer not seen this long is gone; default 6 s. */
  idleMs?: number;
  width: number;
  height: number;
  fps: number;
  /** HLS segment length, seconds; default 0.5 (a quick first frame). */
  segmentS?: number;
  /** The renderer of a camera (may be shared and cached by the caller). */
  rendererFor(cameraId: string): Promise<FrameRenderer>;
  /** Clock, light and weather for the next frame. */
  frameOptions(): FrameOptions;
  log?: { warn(obj: object, msg: string): void };
}

export class EncoderLimitError extends Error {}

/** ffmpeg's restarts allowed per minute before an encoder is given up. */
const MAX_RESTARTS_PER_MINUTE = 5;
const RESTART_DELAY_MS = 300;
/** Time a new encoder has to render its scene and write its first segment before idling counts. */
const STARTUP_GRACE_MS = 3000;

interface Encoder {
  cameraId: string;
  dir: string;
  createdAt: number;
  proc: ChildProcessWithoutNullStreams | undefined;
  timer: NodeJS.Timeout | undefined;
  renderer: FrameRenderer | undefined;
  frame: Buffer;
  viewers: Map<string, number>;
  restartsAt: number[];
  stopping: boolean;
  framesWritten: number;
  framesSkipped: number;
}

export interface EncoderStats {
  running: number;
  max: number;
  viewers: number;
  started: number;
  restarts: number;
  failed: number;
  refused: number;
}

export class EncoderPool {
  private readonly encoders = new Map<string, Encoder>();
  private readonly sweepTimer: NodeJS.Timeout;
  private readonly idleMs: number;
  private readonly segmentS: number;
  private counts = { started: 0, restarts: 0, failed: 0, refused: 0 };
  /** Frames of encoders that have stopped, so `frames()` counts every frame since the start. */
  private pastFrames = { written: 0, skipped: 0 };

  constructor(private readonly opts: EncoderPoolOptions) {
    if (!Number.isInteger(opts.maxEncoders) || opts.maxEncoders < 0) throw new RangeError(`maxEncoders must be an integer ≥ 0, got ${opts.maxEncoders}`);
    if (!(opts.fps >= 1 && opts.fps <= 60)) throw new RangeError(`fps must be in 1..60, got ${opts.fps}`);
    this.idleMs = opts.idleMs ?? 6000;
    this.segmentS = opts.segmentS ?? 0.5;
    mkdirSync(opts.rootDir, { recursive: true });
    this.sweepTimer = setInterval(() => this.sweep(Date.now()), Math.min(1000, this.idleMs / 2)).unref();
  }

  /**
   * Marks `viewer` as watching `cameraId`, starting its encoder when none runs.
   * Throws EncoderLimitError when starting one would pass the limit.
   */
  watch(cameraId: string, viewer: string, now = Date.now()): void {
    let enc = this.encoders.get(cameraId);
    if (!enc) {
      if (this.encoders.size >= this.opts.maxEncoders) {
        this.counts.refused += 1;
        throw new EncoderLimitError(
          `all ${this.opts.maxEncoders} video encoders are busy (serve --video-encoders sets how many); try again when a view closes`,
        );
      }
      enc = this.create(cameraId);
    }
    enc.viewers.set(viewer, now);
  }

  /** Whether the camera's encoder runs. */
  running(cameraId: string): boolean {
    return this.encoders.has(cameraId);
  }

  /** Path of a file the camera's encoder wrote (playlist or segment), when it exists. */
  file(cameraId: string, name: string): string | undefined {
    const enc = this.encoders.get(cameraId);
    if (!enc) return undefined;
    const p = path.join(enc.dir, name);
    return existsSync(p) ? p : undefined;
  }

  /**
   * Resolves once the camera's playlist exists (its first segment is written), or false at the
   * timeout; `viewer`, waiting, counts as watching meanwhile.
   */
  async waitForPlaylist(cameraId: string, viewer: string, timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (this.file(cameraId, 'index.m3u8')) return true;
      const enc = this.encoders.get(cameraId);
      if (!enc || Date.now() >= until) return false;
      enc.viewers.set(viewer, Date.now());
      await new Promise((r) => setTimeout(r, 40));
    }
  }

  stats(): EncoderStats {
    let viewers = 0;
    for (const e of this.encoders.values()) viewers += e.viewers.size;
    return { running: this.encoders.size, max: this.opts.maxEncoders, viewers, ...this.counts };
  }

  /** Frames handed to ffmpeg, and frame ticks skipped because it had not taken the last one. */
  frames(): { written: number; skipped: number } {
    let { written, skipped } = this.pastFrames;
    for (const e of this.encoders.values()) {
      written += e.framesWritten;
      skipped += e.framesSkipped;
    }
    return { written, skipped };
  }

  /** Process ids of the running ffmpeg encoders (CPU accounting in bench:video). */
  pids(): number[] {
    return [...this.encoders.values()].map((e) => e.proc?.pid).filter((p): p is number => p !== undefined);
  }

  /** Ids of the cameras being encoded now. */
  cameras(): string[] {
    return [...this.encoders.keys()];
  }

  /** Kills a camera's ffmpeg as a crash would (tests of the restart path). */
  crash(cameraId: string): boolean {
    const proc = this.encoders.get(cameraId)?.proc;
    return proc ? proc.kill('SIGKILL') : false;
  }

  async close(): Promise<void> {
    clearInterval(this.sweepTimer);
    await Promise.all([...this.encoders.values()].map((e) => this.stop(e)));
  }

  /** Drops viewers not seen for idleMs and stops encoders nobody watches. */
  sweep(now: number): void {
    for (const enc of [...this.encoders.values()]) {
      // A starting encoder keeps its viewers while its first segment is being made.
      if (now - enc.createdAt < this.idleMs + STARTUP_GRACE_MS) continue;
      for (const [viewer, seen] of enc.viewers) if (now - seen > this.idleMs) enc.viewers.delete(viewer);
      if (enc.viewers.size === 0) void this.stop(enc);
    }
  }

  private create(cameraId: string): Encoder {
    // A folder per run: a stopping run of the same camera removes its own folder, not this one's.
    const dir = path.join(this.opts.rootDir, `${cameraId.replace(/[^A-Za-z0-9_-]/g, '_')}-${this.counts.started + 1}`);
    mkdirSync(dir, { recursive: true });
    const enc: Encoder = {
      cameraId,
      dir,
      createdAt: Date.now(),
      proc: undefined,
      timer: undefined,
      renderer: undefined,
      frame: Buffer.alloc(this.opts.width * this.opts.height * 3),
      viewers: new Map(),
      restartsAt: [],
      stopping: false,
      framesWritten: 0,
      framesSkipped: 0,
    };
    this.encoders.set(cameraId, enc);
    this.counts.started += 1;
    this.spawn(enc);
    this.opts.rendererFor(cameraId).then(
      (r) => {
        enc.renderer = r;
      },
      (err: unknown) => {
        this.opts.log?.warn({ cameraId, err: (err as Error).message }, 'camera scene failed; encoder stopped');
        void this.stop(enc);
      },
    );
    return enc;
  }

  private ffmpegArgs(dir: string): string[] {
    const { width, height, fps } = this.opts;
    const gop = Math.max(1, Math.round(fps * this.segmentS));
    return [
      ...['-hide_banner', '-loglevel', 'error'],
      ...['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-framerate', String(fps), '-i', 'pipe:0'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p'],
      // A key frame opens every segment, so a player can start on any of them.
      ...['-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0', '-b:v', '700k', '-maxrate', '900k', '-bufsize', '900k'],
      ...['-f', 'hls', '-hls_time', String(this.segmentS), '-hls_list_size', '8', '-hls_flags', 'delete_segments', '-hls_allow_cache', '0'],
      ...['-hls_segment_filename', path.join(dir, 'seg%05d.ts'), path.join(dir, 'index.m3u8')],
    ];
  }

  private spawn(enc: Encoder): void {
    const proc = spawn(this.opts.ffmpegPath, this.ffmpegArgs(enc.dir), { stdio: ['pipe', 'pipe', 'pipe'] });
    enc.proc = proc;
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    proc.stdout.resume();
    // A pipe closed by a dying ffmpeg: the exit handler deals with it.
    proc.stdin.on('error', () => undefined);
    proc.on('exit', (code, signal) => {
      if (enc.proc === proc) enc.proc = undefined;
      if (enc.stopping) return;
      if (enc.timer) clearInterval(enc.timer);
      enc.timer = undefined;
      const now = Date.now();
      enc.restartsAt = enc.restartsAt.filter((t) => now - t < 60_000);
      this.opts.log?.warn({ cameraId: enc.cameraId, code, signal, stderr: stderr.trim().slice(-500) }, 'video encoder died');
      if (enc.restartsAt.length >= MAX_RESTARTS_PER_MINUTE) {
        this.counts.failed += 1;
        void this.stop(enc);
        return;
      }
      enc.restartsAt.push(now);
      this.counts.restarts += 1;
      setTimeout(() => {
        if (!enc.stopping && this.encoders.get(enc.cameraId) === enc) this.spawn(enc);
      }, RESTART_DELAY_MS).unref();
    });
    // Ticks at twice the frame rate: a late timer (a busy event loop) catches up on the next tick
    // instead of losing the frame, so the stream keeps real time.
    const pace = { since: performance.now(), sent: 0 };
    enc.timer = setInterval(() => this.pump(enc, proc, pace), 500 / this.opts.fps);
  }

  /** Renders and writes the next frame when one is due and ffmpeg has taken the previous one. */
  private pump(enc: Encoder, proc: ChildProcessWithoutNullStreams, pace: { since: number; sent: number }): void {
    const due = Math.floor(((performance.now() - pace.since) * this.opts.fps) / 1000) - pace.sent;
    if (due <= 0) return;
    if (!enc.renderer || proc.stdin.writableLength > 0 || !proc.stdin.writable) {
      if (enc.renderer) enc.framesSkipped += 1;
      // More than a second behind (a stalled machine): drop the backlog rather than rush it.
      if (due > this.opts.fps) pace.sent += due;
      return;
    }
    enc.renderer.render(enc.frame, this.opts.frameOptions());
    proc.stdin.write(enc.frame);
    enc.framesWritten += 1;
    pace.sent += due > this.opts.fps ? due : 1;
  }

  private async stop(enc: Encoder): Promise<void> {
    if (enc.stopping) return;
    enc.stopping = true;
    if (this.encoders.get(enc.cameraId) === enc) this.encoders.delete(enc.cameraId);
    this.pastFrames.written += enc.framesWritten;
    this.pastFrames.skipped += enc.framesSkipped;
    if (enc.timer) clearInterval(enc.timer);
    const proc = enc.proc;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      await new Promise<void>((resolve) => {
        const kill = setTimeout(() => proc.kill('SIGKILL'), 2000);
        proc.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        proc.stdin.end();
        proc.kill('SIGTERM');
      });
    }
    rmSync(enc.dir, { recursive: true, force: true });
  }
}
