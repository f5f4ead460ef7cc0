/**
 * The WebAssembly SIMD prototype of the plain kernel (bench/assembly/plainInertialSimd.ts) for
 * the flood benchmark: compiled from its AssemblyScript source when the benchmark starts (asc's
 * API, a few seconds, outside every timing; no built file to keep in step with the source), then
 * run on the benchmark's problem like `plainRun`: same Δt rule (α·Δx/√(g·h_max), at most
 * `maxDtS`, the last step cut to land on the duration), same rain, closed edges, one thread.
 */
import { readFile } from 'node:fs/promises';

const G = 9.81;
const SOURCE = new URL('./assembly/plainInertialSimd.ts', import.meta.url);
const PAGE_BYTES = 65536;
/** Below this deepest depth the CFL limit is not the binding one (as plainStep). */
const DRY_DEPTH_M = 1e-6;

/** The WebAssembly JS API this file uses: @types/node 20 declares its types but not its values. */
interface WasmApi {
  Module: new (bytes: Uint8Array) => WebAssembly.Module;
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
  Instance: new (module: WebAssembly.Module, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type SimdStep = (ncols: number, nrows: number, dxM: number, n2: number, dtS: number, rainM: number, z: number, h: number, qx: number, qy: number) => number;

/** The compiled module (once per process). */
let compiled: Promise<WebAssembly.Module> | undefined;

/** The part of asc's API used here (its own typings declare AssemblyScript's globals, `console` among them, over Node's). */
interface AscApi {
  compileString(source: string, options: Record<string, unknown>): Promise<{ error: Error | null; binary: Uint8Array | null; stderr: { toString(): string } }>;
}

/** A specifier in a variable: tsc then does not load asc's typings into the project. */
const ASC_MODULE = 'assemblyscript/asc';

async function compile(): Promise<WebAssembly.Module> {
  const asc = ((await import(ASC_MODULE)) as { default: AscApi }).default;
  const source = await readFile(SOURCE, 'utf8');
  const out = await asc.compileString(source, { optimizeLevel: 3, shrinkLevel: 0, runtime: 'stub', noAssert: true, importMemory: true, enable: ['simd'] });
  if (out.error || !out.binary) throw new Error(`bench flood: compiling ${SOURCE.pathname} failed: ${out.error?.message ?? ''}\n${out.stderr.toString()}`);
  return new wasm.Module(out.binary);
}

export function simdKernelModule(): Promise<WebAssembly.Module> {
  compiled ??= compile();
  return compiled;
}

export interface SimdRun {
  steps: number;
  /** Water on the grid after the run, m³ (summed in double). */
  volumeM3: number;
  /** Depths after the run, m (a copy). */
  depthM: Float32Array;
}

/** Runs the prototype from a dry start to `durationS` on a `side` × `side` grid. */
export function simdPlainRun(module: WebAssembly.Module, side: number, dxM: number, bedM: ArrayLike<number>, manningN: number, alpha: number, maxDtS: number, rainMs: number, durationS: number): SimdRun {
  const cells = side * side;
  const bytes = 4 * (2 * cells + 2 * (side + 1) * side);
  const memory = new wasm.Memory({ initial: Math.ceil((bytes + PAGE_BYTES) / PAGE_BYTES) });
  const instance = new wasm.Instance(module, { env: { memory, abort: () => { throw new Error('bench flood: the SIMD kernel aborted'); } } });
  const step = instance.exports.step as SimdStep;
  // The first page is the module's own (static data); the grids follow.
  const z = PAGE_BYTES;
  const h = z + 4 * cells;
  const qx = h + 4 * cells;
  const qy = qx + 4 * (side + 1) * side;
  new Float32Array(memory.buffer, z, cells).set(Float32Array.from(bedM));
  let t = 0;
  let steps = 0;
  let hMaxM = 0;
  while (t < durationS) {
    const left = durationS - t;
    const dtS = Math.min(hMaxM > DRY_DEPTH_M ? Math.min(maxDtS, (alpha * dxM) / Math.sqrt(G * hMaxM)) : maxDtS, left);
    hMaxM = step(side, side, dxM, manningN * manningN, dtS, rainMs * dtS, z, h, qx, qy);
    t = dtS === left ? durationS : t + dtS;
    steps++;
  }
  const depthM = new Float32Array(memory.buffer, h, cells).slice();
  let volume = 0;
  for (const d of depthM) volume += d;
  return { steps, volumeM3: volume * dxM * dxM, depthM };
}
