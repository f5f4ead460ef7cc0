/**
 * Builds the flood solver's WebAssembly kernel (simulations/flood/assembly/inertialKernel.wasm)
 * from its AssemblyScript source through asc's API. The .wasm is committed, so a run neither
 * compiles (asc takes seconds) nor needs asc at all; `test/simulations/flood/wasmKernel.test.ts`
 * rebuilds it and fails when the committed bytes differ from what the source gives. After
 * changing the source: `npx tsx simulations/flood/wasmBuild.ts`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * The sources (the entry first; the module's exports are the entry's) and the committed build
 * (functions: a module-level URL would break the bundled worker, which has no file location).
 */
const KERNEL_SOURCES = ['inertialKernel.ts', 'faceMath.ts'];
export const kernelSourceUrls = (): URL[] => KERNEL_SOURCES.map((name) => new URL(`./assembly/${name}`, import.meta.url));
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
  main(argv: string[], options: AscIo): Promise<{ error: Error | null }>;
  configToArguments(options: Record<string, unknown>): string[];
}
interface AscIo {
  readFile(name: string): string | null;
  writeFile(name: string, contents: Uint8Array | string): void;
  listFiles(): string[];
  stdout: { write(text: string): void };
  stderr: { write(text: string): void };
}

/** A specifier in a variable: tsc then does not load asc's typings (they declare AssemblyScript's globals over Node's). */
const ASC_MODULE = 'assemblyscript/asc';

export async function buildKernelWasm(): Promise<Uint8Array> {
  const asc = ((await import(ASC_MODULE)) as { default: AscApi }).default;
  const sources = new Map<string, string>();
  for (const [i, url] of kernelSourceUrls().entries()) sources.set(KERNEL_SOURCES[i]!, await readFile(url, 'utf8'));
  let binary: Uint8Array | undefined;
  let messages = '';
  const log = { write: (text: string) => void (messages += text) };
  const out = await asc.main([...asc.configToArguments(ASC_OPTIONS), '--outFile', 'kernel.wasm', KERNEL_SOURCES[0]!], {
    readFile: (name) => sources.get(name.replace(/^\.\//, '')) ?? null,
    writeFile: (name, contents) => {
      if (name === 'kernel.wasm' && typeof contents !== 'string') binary = contents;
    },
    listFiles: () => [],
    stdout: log,
    stderr: log,
  });
  const entry = fileURLToPath(kernelSourceUrls()[0]!);
  if (out.error || !binary) throw new Error(`compiling ${entry} failed: ${out.error?.message ?? ''}\n${messages}`);
  return binary;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bytes = await buildKernelWasm();
  await writeFile(kernelWasmUrl(), bytes);
  console.log(`wrote ${fileURLToPath(kernelWasmUrl())} (${bytes.length} bytes)`);
}
