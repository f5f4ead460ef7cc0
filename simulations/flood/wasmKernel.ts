/**
 * The WebAssembly SIMD sweep of both schemes (assembly/inertialKernel.ts) behind the
 * stepper's SweepKernel interface: the same calls as the TypeScript reference (stripeKernel.ts),
 * over the same state, which then lives in a shared WasmMemory. Row by row it calls the
 * module for the x-faces and for the south faces and depths, and the reference's own edge-face
 * routines (TypeScript) for the grid's west, east and south edges in between, in the reference's
 * order; the band-edge faces are the module's too. Depths, discharges, face velocities and the
 * CFL signal speed are the reference's bit for bit (test/simulations/flood/wasmKernel.test.ts).
 *
 * The module is read from the committed build (wasmBuild.ts) once per process on the main thread
 * and passed to worker threads, which instantiate it over the same memory.
 */
import { readFileSync } from 'node:fs';
import { haloOffset, STAT, type FloodArrays } from './floodState';
import { EDGE_CLOSED } from './faceFlux';
import { EAST, eastEdgeFace, northFaces as referenceNorthFaces, SOUTH, southEdgeFace, sweepOf, westEdgeFace, type StepCoefficients, type SweepKernel } from './stripeKernel';
import { kernelWasmUrl } from './wasmBuild';

/** A WebAssembly.Memory (not among @types/node 20's WebAssembly types). */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}

/** The WebAssembly JS API used here: @types/node 20 declares its types but not its values. */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => WebAssembly.Module;
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Instance: new (module: WebAssembly.Module, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}
export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const PAGE_BYTES = 65536;

/** The module and the memory a run's kernels share (structured-clone safe: passes to workers). */
export interface WasmKernelShare {
  module: WebAssembly.Module;
  memory: WasmMemory;
}

let cached: WebAssembly.Module | undefined;

/** The compiled kernel module, once per process (main thread: it reads the committed file). */
export function inertialKernelModule(): WebAssembly.Module {
  cached ??= new wasmApi.Module(readFileSync(kernelWasmUrl()));
  return cached;
}

/** A shared memory of at least `bytes` for the state (the kernel has no data of its own: the state starts at 0). */
export function floodMemory(bytes: number): WasmMemory {
  const pages = Math.max(1, Math.ceil(bytes / PAGE_BYTES));
  return new wasmApi.Memory({ initial: pages, maximum: pages, shared: true });
}

interface KernelExports {
  setArrays(ncols: number, h: number, z: number, n2: number, src: number, open: number, maxDepth: number, maxSpeed: number, arrival: number, duration: number, maxHazard: number): void;
  setStep(qxOld: number, qxNew: number, qyOld: number, qyNew: number, dtS: number, dxM: number, rainDepthM: number, drainDepthM: number, tEndS: number, wetDepthM: number, durationDepthM: number): void;
  takeDrainedM(): number;
  takeClippedM(): number;
  takeRainCells(): number;
  setAdvection(uxOld: number, uxNew: number, uyOld: number, uyNew: number, speedLimit: number): void;
  takeSignalSpeedMax(): number;
  takeRowsRedone(): number;
  bandEdgeFaces(r: number, hA: number, hB: number): void;
  rowXFaces(r: number, southKnown: number, capAfterX: number): void;
  rowYFacesAndDepths(r: number, southHere: number, southOfNextKnown: number, capAfterX: number): number;
}

const F64_BYTES = 8;

/**
 * Rows this thread's kernels redid cell by cell because a positivity cap bound (the rare path
 * the SIMD pass falls back to), summed since the process started: lets a test check that its
 * case exercises that path.
 */
export const wasmKernelCounts = { rowsRedone: 0 };

/** One thread's (stripe's) instance of the kernel over the run's memory. */
export class WasmSweepKernel implements SweepKernel {
  private readonly x: KernelExports;
  /** This stripe's row of cap scratch, as a view and as a byte offset for the module. */
  private readonly capView: Float64Array;
  private readonly capPtr: number;

  constructor(share: WasmKernelShare, s: FloodArrays, stripeIndex: number) {
    this.x = new wasmApi.Instance(share.module, { env: { memory: share.memory } }).exports as unknown as KernelExports;
    this.x.setArrays(s.ncols, s.h.byteOffset, s.z.byteOffset, s.n2.byteOffset, s.src.byteOffset, s.open.byteOffset, s.maxDepth.byteOffset, s.maxSpeed.byteOffset, s.arrival.byteOffset, s.duration.byteOffset, s.maxHazard.byteOffset);
    this.capView = s.capScratch.subarray(stripeIndex * s.ncols, (stripeIndex + 1) * s.ncols);
    this.capPtr = this.capView.byteOffset;
  }

  beginStep(s: FloodArrays, k: StepCoefficients): void {
    const [qxO, qxN, qyO, qyN] = k.odd ? [s.qxNext, s.qx, s.qyNext, s.qy] : [s.qx, s.qxNext, s.qy, s.qyNext];
    this.x.setStep(qxO.byteOffset, qxN.byteOffset, qyO.byteOffset, qyN.byteOffset, k.dt, k.dx, k.rainDepthM, k.drainDepthM, k.tEnd, k.wetDepthM, k.durationDepthM);
    if (!k.advection) return;
    const [uxO, uxN, uyO, uyN] = k.odd ? [s.uxNext, s.ux, s.uyNext, s.uy] : [s.ux, s.uxNext, s.uy, s.uyNext];
    this.x.setAdvection(uxO.byteOffset, uxN.byteOffset, uyO.byteOffset, uyN.byteOffset, k.speedLimit);
  }

  northFaces(s: FloodArrays, r0: number, k: StepCoefficients, stats: Float64Array, statBase: number, band: number): void {
    // The grid's north edge by the edge rule, in TypeScript.
    if (r0 === 0) return referenceNorthFaces(s, r0, k, stats, statBase, band);
    const halo = s.hHalo.byteOffset + haloOffset(s.ncols, k.odd ? 1 : 0, band - 1, true) * F64_BYTES;
    this.x.bandEdgeFaces(r0, halo, s.h.byteOffset + r0 * s.ncols * F64_BYTES);
  }

  southFaces(s: FloodArrays, r1: number, k: StepCoefficients, band: number): void {
    if (r1 >= s.nrows) return;
    const halo = s.hHalo.byteOffset + haloOffset(s.ncols, k.odd ? 1 : 0, band + 1, false) * F64_BYTES;
    this.x.bandEdgeFaces(r1, s.h.byteOffset + (r1 - 1) * s.ncols * F64_BYTES, halo);
  }

  sweepRows(s: FloodArrays, r0: number, r1: number, k: StepCoefficients, stats: Float64Array, statBase: number): number {
    const { x, capView, capPtr } = this;
    const { ncols: nc, nrows: nr } = s;
    const w = sweepOf(s, k, stats, statBase, capView);
    const eastOpen = k.edgeKind[EAST] !== EDGE_CLOSED;
    const southOpen = k.edgeKind[SOUTH] !== EDGE_CLOSED;
    let hMax = 0;
    for (let r = r0; r < r1; r++) {
      const southKnown = r + 1 === r1 && r !== nr - 1;
      westEdgeFace(w, r, southKnown);
      x.rowXFaces(r, southKnown ? 1 : 0, capPtr);
      if (eastOpen) {
        const capI = capView[nc - 1]!;
        const qE = eastEdgeFace(w, r, capI);
        w.qxN[r * (nc + 1) + nc] = qE;
        const cap = capI - (qE > 0 ? qE : 0);
        capView[nc - 1] = cap < 0 ? 0 : cap;
      }
      if (r === nr - 1) {
        if (southOpen) for (let c = 0; c < nc; c++) southEdgeFace(w, r, c, capView[c]!);
        else {
          w.qyN.fill(0, nr * nc, (nr + 1) * nc);
          w.advY?.uNew.fill(0, nr * nc, (nr + 1) * nc);
        }
      }
      const rowMax = x.rowYFacesAndDepths(r, r + 1 < r1 ? 1 : 0, r + 2 === r1 && r + 2 !== nr ? 1 : 0, capPtr);
      if (rowMax > hMax) hMax = rowMax;
    }
    // The band-edge faces' signal speeds (northFaces, southFaces) are in the module's maximum too.
    wasmKernelCounts.rowsRedone += x.takeRowsRedone();
    const signal = x.takeSignalSpeedMax();
    if (signal > k.signalSpeedMax) k.signalSpeedMax = signal;
    const area = k.dx * k.dx;
    stats[statBase + STAT.rain] += k.rainDepthM * x.takeRainCells() * area;
    stats[statBase + STAT.drainage] += x.takeDrainedM() * area;
    stats[statBase + STAT.clipped] += x.takeClippedM() * area;
    return hMax;
  }
}
