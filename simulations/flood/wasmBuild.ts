/**
 * Builds the flood solver's WebAssembly kernel (simulations/flood/assembly/inertialKernel.wasm)
 * from its AssemblyScript source through asc's API. The .wasm is committed, so a run neither
 * compiles (asc takes seconds) nor needs asc at all; `test/simulations/flood/wasmKernel.test.ts`
 * rebuilds it and fails when the committed bytes differ from what the source gives. After
 * changing the source: `npx tsx simulations/flood/wasmBuild.ts`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The source and the committed build (functions: a module-level URL would break the bundled worker, which has no file location). */
export const kernelSourceUrl = (): URL => new URL('./assembly/inertialKernel.ts', import.meta.url);
export const kernelWasmUrl = (): URL => new URL('./assembly/inertialKernel.wasm', import.meta.url);

/**
 * asc's options: fully optimised, no runtime or allocator (the kernel only reads and writes the
 * solver's arrays), no assertions, 128-bit SIMD, and the memory imported and shared (the
 * state's buffer, one for all threads; up to the 4 GiB of wasm32).
 */
const ASC_OPTIONS = {
  optimizeLevel: 3,
  shrinkLevel: 0,
  runtime: 'stub',
  noAssert: true,
  importMemory: true,
  sharedMemory: true,
  initialMemory: 1,
  maximumMemory: 65536,
  enable: ['simd', 'threads'],
};

interface AscApi {
  compileString(source: Record<string, string>, options: Record<string, unknown>): Promise<{ error: Error | null; binary: Uint8Array | null; stderr: { toString(): string } }>;
}

/** A specifier in a variable: tsc then does not load asc's typings (they declare AssemblyScript's globals over Node's). */
const ASC_MODULE = 'assemblyscript/asc';

export async function buildKernelWasm(): Promise<Uint8Array> {
  const asc = ((await import(ASC_MODULE)) as { default: AscApi }).default;
  const source = await readFile(kernelSourceUrl(), 'utf8');
  const out = await asc.compileString({ 'inertialKernel.ts': source }, ASC_OPTIONS);
  if (out.error || !out.binary) throw new Error(`compiling ${fileURLToPath(kernelSourceUrl())} failed: ${out.error?.message ?? ''}\n${out.stderr.toString()}`);
  return out.binary;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bytes = await buildKernelWasm();
  await writeFile(kernelWasmUrl(), bytes);
  console.log(`wrote ${fileURLToPath(kernelWasmUrl())} (${bytes.length} bytes)`);
}
