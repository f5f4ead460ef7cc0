/**
 * A build interrupted for real: `citytwin tiles build` as a child process, stopped mid-build.
 * SIGTERM and SIGINT remove its staging folder before it ends; after SIGKILL, which nothing can
 * catch, the next build for the same output removes what the dead one left.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeStaleStaging } from '../../tiles/pipeline/staging';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'citytwin-interrupt-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const stagingFolders = async (out: string): Promise<string[]> =>
  (await readdir(dir)).filter((e) => e.startsWith(`.${path.basename(out)}.building-`));

/** Starts a build of the sample district into `out`, with a large basemap so it runs for a while. */
function startBuild(out: string): ChildProcess {
  return spawn(
    process.execPath,
    [
      'bin/citytwin.mjs', 'tiles', 'build',
      '--buildings', 'test/fixtures/import/lod2-district.city.json',
      '--dem', 'test/fixtures/import/lod2-district-dem.tif',
      '--basemap-px', '8192', '--workers', '1',
      '--out', out,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/** Waits until the child has created its staging folder and printed a finished stage. */
async function midBuild(child: ChildProcess, out: string): Promise<void> {
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if ((await stagingFolders(out)).length > 0 && /ground|terrain/.test(output)) return;
    if (child.exitCode !== null) throw new Error(`the build ended before it could be interrupted:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no staging folder appeared:\n${output}`);
}

const exited = (child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
  new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

describe('an interrupted build', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('removes its staging folder on %s and ends by that signal', async (signal) => {
    const out = path.join(dir, `twin-${signal}`);
    const child = startBuild(out);
    const done = exited(child);
    await midBuild(child, out);
    child.kill(signal);
    expect(await done).toEqual({ code: null, signal });
    expect(await stagingFolders(out)).toEqual([]);
    expect(await readdir(dir)).not.toContain(path.basename(out));
  }, 90_000);

  it('leaves a folder on SIGKILL that the next build for the output removes', async () => {
    const out = path.join(dir, 'twin-kill');
    const child = startBuild(out);
    const done = exited(child);
    await midBuild(child, out);
    child.kill('SIGKILL');
    await done;
    const left = await stagingFolders(out);
    expect(left).toHaveLength(1);
    // A live build's folder (this process's) is never taken for stale.
    const live = `.${path.basename(out)}.building-${process.pid}-1`;
    await import('node:fs/promises').then((fs) => fs.mkdir(path.join(dir, live)));
    expect(await removeStaleStaging(out)).toEqual(left);
    expect(await stagingFolders(out)).toEqual([live]);
  }, 90_000);
});
