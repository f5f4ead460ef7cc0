/**
 * Writes a benchmark's figures to `bench-results/<name>.json` at the repository root
 * (git-ignored), for comparing runs and machines.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const RESULTS_DIR = fileURLToPath(new URL('../../bench-results/', import.meta.url));

/** Returns the path written, relative to the working directory. */
export async function writeResults(name: string, data: unknown): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.json`);
  await writeFile(file, JSON.stringify(data, null, 2) + '\n');
  return path.relative(process.cwd(), file) || file;
}
