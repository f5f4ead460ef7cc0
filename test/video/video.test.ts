/**
 * Live camera video end to end on the tiny twin: the stream API's refusals (no login, bad camera,
 * a token for another camera, every encoder busy), a real HLS stream whose segments ffprobe reads
 * as H.264 at the stated size and rate, pictures that differ between cameras and move, encoders
 * that stop when nobody watches and come back after a crash, and the JPEG a video-AI case keeps.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaseApp, type CaseApp } from '../cases/caseApp';
import { waitFor } from '../server/helpers';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const ffprobe = (require('@ffprobe-installer/ffprobe') as { path: string }).path;
const ffmpeg = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;

let t: CaseApp;
let token: string;
let scratch: string;

beforeAll(async () => {
  t = await startCaseApp({ video: { maxEncoders: 2, idleMs: 1500 } });
  token = await t.login('dispatcher');
  scratch = await mkdtemp(path.join(tmpdir(), 'citytwin-video-test-'));
});
afterAll(async () => {
  await t?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const openStream = (id: string, auth: string | null = token) => t.call(auth ?? undefined, { method: 'POST', url: `/api/cameras/${id}/stream` });
const raw = (url: string) => t.app.inject({ method: 'GET', url });
const health = async () => (await t.call(undefined, { method: 'GET', url: '/api/health' })).body.video;

/** Decodes an image or video file's first frame to RGB24 bytes. */
async function firstFrameRgb(file: string): Promise<Buffer> {
  const { stdout } = await run(ffmpeg, ['-loglevel', 'error', '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], {
    encoding: 'buffer',
    maxBuffer: 8 * 1024 * 1024,
  });
  return stdout;
}

describe('stream access', () => {
  it('refuses without a login, for an unknown camera or a terminal that is not one, and with a token for another camera', async () => {
    expect((await openStream('P00001-camera', null)).status, 'no login').toBe(401);
    expect((await t.call(undefined, { method: 'GET', url: '/api/cameras' })).status).toBe(401);
    expect(await openStream('P09999-camera')).toMatchObject({ status: 404, body: { message: 'camera "P09999-camera" not found' } });
    expect((await openStream('P00001-lamp')).status).toBe(404);
    const answer = await openStream('P00001-camera');
    expect(answer.status).toBe(200);
    const url = answer.body.streams[0].url as string;
    const stolen = url.replace('P00001-camera', 'P00001-traffic-camera');
    expect((await raw(stolen)).statusCode, "another camera's token").toBe(401);
    const forged = url.replace(/\/live\/([^.]+)\.([^/]+)\//, (_m, p: string, sig: string) => `/live/${p}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}/`);
    expect(forged).not.toBe(url);
    expect((await raw(forged)).statusCode, 'a token whose signature was changed').toBe(401);
    expect((await raw(url.replace('index.m3u8', '..%2Fsecret'))).statusCode).toBe(400);
  });

  it('lists cameras with their pose, by road', async () => {
    const { body } = await t.call(token, { method: 'GET', url: '/api/cameras?roadId=R001' });
    expect(body.items).toHaveLength(12);
    expect(body.items[0]).toMatchObject({ id: 'P00001-camera', roadId: 'R001', camera: { pose: { headingDeg: 90, hfovDeg: 60 }, embedded: true } });
  });
});

describe('the embedded encoder', () => {
  it('serves HLS whose segments are H.264 at 640×360, 15 fps', async () => {
    const answer = await openStream('P00002-camera');
    expect(answer.body).toMatchObject({ cameraId: 'P00002-camera', embedded: true, streams: [{ protocol: 'hls' }] });
    const url = answer.body.streams[0].url as string;
    const playlist = await raw(url);
    expect(playlist.statusCode).toBe(200);
    expect(playlist.headers['content-type']).toContain('mpegurl');
    const segment = /^(seg\d+\.ts)$/m.exec(playlist.body)?.[1];
    expect(segment).toBeDefined();
    const ts = await raw(url.replace('index.m3u8', segment!));
    expect(ts.statusCode).toBe(200);
    const file = path.join(scratch, 'segment.ts');
    await writeFile(file, ts.rawPayload);
    // The npm ffprobe (N-66595 static) crashes on every MPEG-TS file, so the segment's stream is
    // copied as it is (no re-encoding: same codec, size and rate) into MP4 for it to read.
    const mp4 = path.join(scratch, 'segment.mp4');
    await run(ffmpeg, ['-loglevel', 'error', '-y', '-i', file, '-c', 'copy', mp4]);
    const { stdout } = await run(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height,r_frame_rate', '-of', 'json', mp4]);
    expect(JSON.parse(stdout).streams[0]).toEqual({ codec_name: 'h264', width: 640, height: 360, r_frame_rate: '15/1' });
    expect((await health()).encodersRunning).toBeGreaterThanOrEqual(1);
  });

  it('draws pictures that differ between cameras and move over time, by day and by night', async () => {
    // The picture follows the simulated time of day, so the instants are fixed (a run at the
    // CI's wall clock drew night scenes, darker and more alike): noon and midnight in the city.
    const noonUtcMs = Date.UTC(2026, 5, 22, 4, 0, 0);
    const frame = (id: string, simTimeMs: number) =>
      t.app.video.scenes.renderer(id).then((r) => {
        const out = new Uint8Array(r.width * r.height * 3);
        r.render(out, { ...t.app.video.frameOptions(simTimeMs), simTimeMs });
        return out;
      });
    const share = (a: Uint8Array, b: Uint8Array) => a.reduce((n, v, i) => n + (Math.abs(v - b[i]!) > 16 ? 1 : 0), 0) / a.length;
    const shares = [];
    for (const at of [noonUtcMs, noonUtcMs + 12 * 3_600_000]) {
      const [east, west, later] = await Promise.all([frame('P00001-camera', at), frame('P00002-camera', at), frame('P00001-camera', at + 2000)]);
      shares.push({ cameras: share(east, west), moved: share(east, later) });
    }
    console.log('video frames, share of pixels that differ (noon, midnight):', JSON.stringify(shares));
    const [noon, midnight] = shares;
    // P00001 looks east along the road, P00002 west: different pictures.
    expect(noon!.cameras).toBeGreaterThan(0.05);
    expect(midnight!.cameras).toBeGreaterThan(0.03);
    // Two seconds on, the traffic has moved (and the clock changed).
    expect(noon!.moved).toBeGreaterThan(0.002);
    expect(midnight!.moved).toBeGreaterThan(0.0004);
  });

  it('refuses a camera past the encoder limit with a 503 that says why', async () => {
    // Only P00001 and P00002 have been watched so far: watch both (the limit is 2), then ask for a third.
    const a = await openStream('P00001-camera');
    const b = await openStream('P00002-camera');
    expect([a.status, b.status]).toEqual([200, 200]);
    const c = await openStream('P00003-camera');
    expect(c.status).toBe(503);
    expect(c.body).toMatchObject({ code: 'CT_VIDEO_BUSY', message: expect.stringContaining('--video-encoders') });
    expect((await health()).refused).toBeGreaterThanOrEqual(1);
  });

  it('restarts an encoder that dies while watched, and stops encoders nobody watches', async () => {
    const answer = await openStream('P00001-camera');
    const url = answer.body.streams[0].url as string;
    expect(t.app.video.pool.crash('P00001-camera')).toBe(true);
    await waitFor(async () => (await health()).encoderRestarts >= 1, 5000, 'the restart to be counted');
    // The viewer keeps asking: the restarted encoder answers.
    await waitFor(async () => (await raw(url)).statusCode === 200, 8000, 'the playlist after the restart');
    // Nobody asks any more: within the idle time (1.5 s) and a sweep, every encoder stops.
    await waitFor(async () => (await health()).encodersRunning === 0, 8000, 'idle encoders to stop');
    expect(t.app.video.pool.running('P00001-camera')).toBe(false);
    // The same viewer coming back starts it again.
    expect((await raw(url)).statusCode).toBe(200);
    expect(t.app.video.pool.running('P00001-camera')).toBe(true);
  });
});

describe('video-AI snapshot', () => {
  it('attaches the frame with the detection box, as a JPEG, to the case the alarm opens', async () => {
    const now = Date.now();
    const bbox: [number, number, number, number] = [0.4, 0.5, 0.2, 0.25];
    t.app.live.apply('P00004-camera', 'events', { v: 1, ts: now, event: 'video-ai', eventId: 'V-9', category: 'garbage-pile', confidence: 0.91, bbox }, now);
    const item = await waitFor(async () => (await t.call(token, { method: 'GET', url: '/api/cases?source=video-ai' })).body.items.find((c: { terminalId: string }) => c.terminalId === 'P00004-camera'), 8000, 'the video-AI case');
    const detail = (await t.call(token, { method: 'GET', url: `/api/cases/${item.id}` })).body;
    expect(detail.case.photoIds).toHaveLength(1);
    // The timeline's creation event names it, so the case view shows it there.
    expect(detail.events[0]).toMatchObject({ action: 'create', data: { photoId: detail.case.photoIds[0] } });
    const photo = await t.app.inject({ method: 'GET', url: `/api/cases/${item.id}/photos/${detail.case.photoIds[0]}`, headers: { authorization: `Bearer ${token}` } });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    const file = path.join(scratch, 'snapshot.jpg');
    await writeFile(file, photo.rawPayload);
    const rgb = await firstFrameRgb(file);
    expect(rgb.length).toBe(640 * 360 * 3);
    // The box's left edge is red; its inside is the picture.
    const at = (x: number, y: number) => [...rgb.subarray((y * 640 + x) * 3, (y * 640 + x) * 3 + 3)];
    const [r, g, b] = at(Math.round(0.4 * 640) + 1, Math.round(0.625 * 360));
    expect(r).toBeGreaterThan(180);
    expect(g).toBeLessThan(110);
    expect(b).toBeLessThan(110);
    expect((await health()).snapshots).toBeGreaterThanOrEqual(1);
  });
});
