/**
 * The pipe phase of a coupled flood run on every thread, not on one: between two surface steps the
 * stripe-0 thread (the lead) runs the exchange and the pipes' serial parts (surfaceCoupling.ts,
 * pipeSolver.ts), and at each pipe sub-step the links' momentum update — most of the phase's
 * time — is shared by all threads. The other threads (members), which would otherwise wait at the
 * barrier through the whole phase, each run a solver attached to the lead's shared arrays
 * (`PipeSolverOptions.shared`) and update the links they are dealt.
 *
 * The links are dealt in chunks from a shared counter (Atomics.add), so a thread that is slower
 * this sub-step takes fewer. Each link writes only its own entries and reads the node heads the
 * lead set before the barrier, so the flows are those of one thread bit for bit, whoever takes
 * which chunk. Per sub-step the team passes two barriers of the flood run (the stepper's), and a
 * control word in the shared buffer says what a member does after each: the next sub-step's
 * links, or leave the phase.
 */
import type { DrainageNetwork } from './network';
import { pipeSharedBytes, type PipeSolver } from './pipeSolver';

/** The shared state of a team: the solver's shared arrays, then the control words. */
export interface LinkTeamSpec {
  buffer: SharedArrayBuffer;
}

/** Control: [what the members do after the barrier, the sub-step's Δt in s] (float64), then the next link to deal (int32, padded). */
const CONTROL_BYTES = 2 * 8 + 8;
const LINKS = 1;
const LEAVE = 0;
/** Most links per chunk dealt: enough to make the counter's cost vanish, few enough to balance. */
const CHUNK_LINKS = 64;

function controlOffset(nodeCount: number, linkCount: number): number {
  return Math.ceil(pipeSharedBytes(nodeCount, linkCount) / 8) * 8;
}

/** The shared buffer of a team of `threads` over `network`: the solver's arrays, the control, a link count per thread. */
export function linkTeamSpec(network: DrainageNetwork, threads: number): LinkTeamSpec {
  return { buffer: new SharedArrayBuffer(controlOffset(network.nodes.length, network.links.length) + CONTROL_BYTES + 8 * threads) };
}

export class LinkTeam {
  private readonly control: Float64Array;
  /** [0]: the first link not yet dealt this sub-step. */
  private readonly next: Int32Array;
  /** Per thread, the link updates it has made (each thread writes only its own). */
  private readonly updates: Float64Array;
  private readonly chunk: number;

  constructor(
    spec: LinkTeamSpec,
    private readonly solver: PipeSolver,
    /** The flood run's barrier over all threads. */
    private readonly barrier: () => void,
    private readonly index: number,
    count: number,
  ) {
    const { nodeCount, linkCount } = solver.net;
    const offset = controlOffset(nodeCount, linkCount);
    this.control = new Float64Array(spec.buffer, offset, 2);
    this.next = new Int32Array(spec.buffer, offset + 16, 1);
    this.updates = new Float64Array(spec.buffer, offset + CONTROL_BYTES, count);
    // At least four chunks per thread, so that small networks are shared too.
    this.chunk = Math.max(1, Math.min(CHUNK_LINKS, Math.ceil(linkCount / (4 * count))));
  }

  /** The link updates each thread has made so far (the lead reads them after the phase). */
  updatesPerThread(): number[] {
    return Array.from(this.updates);
  }

  /** The lead's `links` for PipeSolver.step: every thread updates links, chunk by chunk, over Δt. */
  readonly links = (dtS: number): void => {
    this.control[0] = LINKS;
    this.control[1] = dtS;
    Atomics.store(this.next, 0, 0);
    this.barrier();
    this.takeChunks(dtS);
    this.barrier();
  };

  private takeChunks(dtS: number): void {
    const m = this.solver.net.linkCount;
    for (;;) {
      const j0 = Atomics.add(this.next, 0, this.chunk);
      if (j0 >= m) return;
      const j1 = Math.min(j0 + this.chunk, m);
      this.solver.linkFlows(dtS, j0, j1);
      this.updates[this.index] += j1 - j0;
    }
  }

  /** The lead, at the end of its phase: the members leave at the next barrier (the stepper's). */
  release(): void {
    this.control[0] = LEAVE;
  }

  /**
   * A member's part of the phase: from the barrier that ends the surface step until the one that
   * ends the phase, take chunks of links whenever the lead asks.
   */
  follow(): void {
    for (;;) {
      this.barrier();
      if (this.control[0] !== LINKS) return;
      this.takeChunks(this.control[1]!);
      this.barrier();
    }
  }
}
