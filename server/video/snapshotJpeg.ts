/**
 * One frame as a JPEG: the renderer draws it (with the detection box, for an alarm), ffmpeg's
 * MJPEG encoder compresses it (`-frames:v 1`), so no image codec is written here.
 */
import { spawn } from 'node:child_process';
import type { FrameOptions, FrameRenderer } from './FrameRenderer';

const JPEG_TIMEOUT_MS = 10_000;

export async function snapshotJpeg(ffmpegPath: string, renderer: FrameRenderer, options: FrameOptions): Promise<Buffer> {
  const frame = Buffer.alloc(renderer.width * renderer.height * 3);
  renderer.render(frame, options);
  const args = [
    ...['-hide_banner', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${renderer.width}x${renderer.height}`, '-i', 'pipe:0'],
    ...['-frames:v', '1', '-c:v', 'mjpeg', '-q:v', '4', '-f', 'image2pipe', 'pipe:1'],
  ];
  return new Promise<Buffer>((resolve, reject) => {
    const proc = spawn(ffmpegPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => proc.kill('SIGKILL'), JPEG_TIMEOUT_MS);
    proc.stdout.on('data', (d: Buffer) => out.push(d));
    proc.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-1000)));
    proc.stdin.on('error', () => undefined);
    proc.on('error', reject);
    proc.on('close', (code) => {
      clearTimeout(timer);
      const jpeg = Buffer.concat(out);
      if (code === 0 && jpeg.length > 0) resolve(jpeg);
      else reject(new Error(`ffmpeg could not encode the snapshot (exit ${code}): ${err.trim()}`));
    });
    proc.stdin.end(frame);
  });
}
