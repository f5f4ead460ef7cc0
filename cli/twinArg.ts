/** The `--twin <dir>` option of the sim commands: a twin package folder, read or refused by name. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { TWIN_MANIFEST_FILE, type TwinManifest } from '../domain/twinPackage';
import { UsageError } from './args';

/** The twin package at `twinDir` (default the demo's), with its manifest. */
export async function readTwinArg(twinDir: string | undefined): Promise<{ dir: string; manifest: TwinManifest }> {
  const dir = path.resolve(twinDir ?? 'data/demo/twin');
  try {
    return { dir, manifest: JSON.parse(await readFile(path.join(dir, TWIN_MANIFEST_FILE), 'utf8')) as TwinManifest };
  } catch (err) {
    throw new UsageError(`--twin: ${dir} is not a twin package (cannot read ${TWIN_MANIFEST_FILE}: ${(err as Error).message})`);
  }
}
