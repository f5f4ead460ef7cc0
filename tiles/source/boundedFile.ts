/**
 * Reading one input file whole, with a size bound and errors that name the file as the user
 * wrote it. JSON and grids are parsed from one string, and V8 caps a string at 2^29 − 24 UTF-16
 * units (≈ 512 MiB), so a larger file could not be parsed whole anyway.
 */
import { readFile, stat } from 'node:fs/promises';

export const MAX_FILE_BYTES = 500 * 1024 * 1024;

/** Checks that `fullPath` is a file within the bound; `file` names it in errors. */
async function checkFile(fullPath: string, file: string): Promise<void> {
  let size: number;
  try {
    const st = await stat(fullPath);
    if (!st.isFile()) throw new Error(`${file}: is not a file`);
    size = st.size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${file}: file not found (looked for ${fullPath})`);
    throw err;
  }
  if (size > MAX_FILE_BYTES) {
    const mb = (n: number): string => `${Math.round(n / (1024 * 1024))} MiB`;
    throw new Error(`${file}: ${mb(size)} is over the ${mb(MAX_FILE_BYTES)} limit for one source file`);
  }
}

export async function readBoundedText(fullPath: string, file: string): Promise<string> {
  await checkFile(fullPath, file);
  return readFile(fullPath, 'utf8');
}

/** The file's bytes as an ArrayBuffer of exactly its length (what loaders.gl and geotiff take). */
export async function readBoundedBytes(fullPath: string, file: string): Promise<ArrayBuffer> {
  await checkFile(fullPath, file);
  const buf = await readFile(fullPath);
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
}

export async function readBoundedJson(fullPath: string, file: string): Promise<unknown> {
  return parseJsonText(await readBoundedText(fullPath, file), file);
}
