/**
 * The staging folder a build writes into before its package replaces the old one: a sibling of
 * the output, `.<out>.building-<pid>-<ms>`, on the same file system so the final rename is atomic.
 *
 * A build that ends normally or with an error removes it. An interrupted one (Ctrl-C, SIGTERM,
 * a `timeout`) removes it in the signal handler installed for the build's duration, then ends
 * as the signal would have ended it. Nothing can run on SIGKILL or a power cut: the next build
 * for the same output removes every staging folder whose process is no longer alive.
 */
import { existsSync, rmSync } from 'node:fs';
import { mkdir, readdir, rename, rm, statfs } from 'node:fs/promises';
import path from 'node:path';

/**
 * Free space a build needs on the output's disk before it starts, and leaves free while it writes
 * (buildGuard.ts; `--min-free-disk-mb`). A build's own size is bounded by its stages' limits
 * (MAX_TERRAIN_TILES, the interior storey budget, MAX_PLANS_BYTES); this is the backstop.
 */
export const MIN_FREE_DISK_BYTES = 256 * 1024 * 1024;

const STAGING = /^\.(.+)\.building-(\d+)-\d+(?:\.old)?$/;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** A fresh staging folder for `dir`, after removing those that dead builds left beside it. */
export async function stagingDir(dir: string, minFreeDiskBytes = MIN_FREE_DISK_BYTES): Promise<string> {
  const parent = path.dirname(path.resolve(dir));
  await mkdir(parent, { recursive: true });
  await removeStaleStaging(dir);
  const { bavail, bsize } = await statfs(parent);
  if (bavail * bsize < minFreeDiskBytes) {
    throw new Error(`${parent}: ${Math.round((bavail * bsize) / 2 ** 20)} MiB free; a build needs at least ${Math.round(minFreeDiskBytes / 2 ** 20)} MiB (--min-free-disk-mb)`);
  }
  const staging = path.join(parent, `.${path.basename(dir)}.building-${process.pid}-${Date.now()}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging);
  return staging;
}

/** Removes staging folders of `dir` whose build process is gone; returns their names. */
export async function removeStaleStaging(dir: string): Promise<string[]> {
  const parent = path.dirname(path.resolve(dir));
  const base = path.basename(dir);
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const m = STAGING.exec(entry);
    if (!m || m[1] !== base || isAlive(Number(m[2]))) continue;
    await rm(path.join(parent, entry), { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, owned by someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Until the returned function is called, SIGINT, SIGTERM and SIGHUP remove `staging` (and its
 * `.old` sibling) before the process ends. Where nothing else listens for the signal, it is
 * raised again with the default action, so the exit status says what ended the build.
 */
export function removeOnSignals(staging: string): () => void {
  const handlers = SIGNALS.map((signal) => {
    const handler = (): void => {
      try {
        // File operations already handed to libuv's thread pool still run while this handler
        // blocks the main thread: a file created during the removal fails it with ENOTEMPTY
        // (retried), and a pending recursive mkdir can recreate the folder after it. So remove,
        // let them finish, and remove again until the folder stays gone.
        for (let round = 0; round < 5; round++) {
          const left = [staging, `${staging}.old`].filter((p) => existsSync(p));
          if (left.length === 0) break;
          for (const p of left) rmSync(p, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
        }
      } catch (err) {
        // Whatever is left, the next build for this output removes (removeStaleStaging); the
        // signal still ends the process, as it would have without us.
        process.stderr.write(`could not remove the staging folder ${staging}: ${(err as Error).message}\n`);
      } finally {
        dispose();
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      }
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  const dispose = (): void => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
  return dispose;
}

/**
 * Puts the staged package in place of `dir`: files a previous package held that are not part of
 * a package (someone's notes beside twin.json) move into the new one, the old package is renamed
 * aside, the new one renamed in, the old one removed. Between the two renames `dir` is briefly
 * missing, never half-written.
 */
export async function swapIn(staging: string, dir: string, packageEntries: readonly string[]): Promise<void> {
  let old: string | undefined;
  try {
    const entries = await readdir(dir);
    for (const e of entries) if (!packageEntries.includes(e)) await rename(path.join(dir, e), path.join(staging, e));
    old = `${staging}.old`;
    await rename(dir, old);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await rename(staging, dir);
  if (old) await rm(old, { recursive: true, force: true });
}
