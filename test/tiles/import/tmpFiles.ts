/** A temporary folder per test file, removed afterwards, for files the importers read. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export function useTmpDir(): { path(name: string): string; write(name: string, content: string | Uint8Array | object): Promise<string> } {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'citytwin-import-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return {
    path: (name) => path.join(dir, name),
    write: async (name, content) => {
      const file = path.join(dir, name);
      const data = typeof content === 'string' || content instanceof Uint8Array ? content : JSON.stringify(content);
      await writeFile(file, data);
      return file;
    },
  };
}
