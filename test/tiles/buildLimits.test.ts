/**
 * The whole build's memory and disk are bounded (issue 20): a build over its memory limit stops
 * at its next progress report, and one that would leave the disk under its free-space floor is
 * refused — each with a message naming the limit and its option, the staging folder removed and
 * no package written. Limits are set absurdly tight here so a small city crosses them.
 */
import { mkdtemp, readdir, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildGuard, BuildLimitError } from '../../tiles/pipeline/buildGuard';
import { buildTwin } from '../../tiles/pipeline/index';
import { writeSyntheticCity, type SyntheticCity } from '../fixtures/syntheticCity';

let root = '';
let city: SyntheticCity;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'citytwin-build-limits-'));
  city = await writeSyntheticCity(path.join(root, 'source'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Only the source folder may remain in `root`: no package, no staging folder. */
async function leftBehind(): Promise<string[]> {
  return (await readdir(root)).filter((name) => name !== 'source');
}

describe('build limits', () => {
  it('stops a build whose memory passes its limit, naming --max-memory-mb, and leaves nothing behind', async () => {
    const build = buildTwin({
      sourceDir: city.dir,
      outDir: path.join(root, 'out-memory'),
      basemapPx: 64,
      workers: 1,
      limits: { maxMemoryBytes: 64 * 2 ** 20 },
    });
    await expect(build).rejects.toThrow(/the build's memory reached \d+ MiB, over its limit of 64 MiB \(--max-memory-mb\)/);
    await expect(build).rejects.toBeInstanceOf(BuildLimitError);
    expect(await leftBehind()).toEqual([]);
  });

  it('refuses a build that would leave the disk under its free-space floor, naming --min-free-disk-mb', async () => {
    const { bavail, bsize } = await statfs(root);
    const moreThanFree = bavail * bsize + 2 ** 30;
    await expect(
      buildTwin({ sourceDir: city.dir, outDir: path.join(root, 'out-disk'), basemapPx: 64, workers: 1, limits: { minFreeDiskBytes: moreThanFree } }),
    ).rejects.toThrow(/MiB free; a build needs at least \d+ MiB \(--min-free-disk-mb\)/);
    expect(await leftBehind()).toEqual([]);
  });

  it('the guard reports a disk that fills while writing', async () => {
    const { bavail, bsize } = await statfs(root);
    const guard = new BuildGuard(root, { maxMemoryBytes: Number.MAX_SAFE_INTEGER, minFreeDiskBytes: bavail * bsize + 2 ** 30 }, 60_000);
    try {
      expect(() => guard.check()).not.toThrow();
      await guard.sample();
      expect(() => guard.check()).toThrow(/only \d+ MiB left on the disk, under the \d+ MiB a build leaves free \(--min-free-disk-mb\)/);
    } finally {
      guard.stop();
    }
  });
});
