/**
 * The pipe solver's shared state (simulations/drainage/linkTeam.ts): solvers attached to one
 * buffer, each updating part of a step's links, must step exactly as one solver does — whatever
 * the split — and attaching must not touch the state.
 */
import { describe, expect, it } from 'vitest';
import { compileNetwork } from '../../../simulations/drainage/compiledNetwork';
import type { DrainageLink, DrainageNetwork, DrainageNode } from '../../../simulations/drainage/network';
import { pipeSharedBytes, PipeSolver } from '../../../simulations/drainage/pipeSolver';
import { junction, link, outfall } from './pipeNetworks';

/**
 * Two branches of eight 0.5 m pipes join in a manhole that drains through one 0.4 m pipe: a
 * burst into the branch heads surcharges the joint and backs water up. The east branch ends in
 * a 1.5 m drop (its lower half changes hands between the junctions).
 */
function branches(): DrainageNetwork {
  const nodes: DrainageNode[] = [junction('JOIN', 10, 4), outfall('O', 9.8)];
  const links: DrainageLink[] = [link('OUT', 'JOIN', 'O', { shape: 'circular', diameterM: 0.4 }, 40)];
  for (const [side, drop] of [['W', 0], ['E', 1.5]] as const) {
    for (let k = 0; k < 8; k++) {
      const invert = 10 + drop + 0.05 * (8 - k);
      nodes.push(junction(`${side}${k}`, invert, 4));
      const to = k < 7 ? `${side}${k + 1}` : 'JOIN';
      links.push({ ...link(`${side}P${k}`, `${side}${k}`, to, { shape: 'circular', diameterM: 0.5 }, 25), outOffsetM: k === 7 ? drop : 0 });
    }
  }
  return { nodes, links };
}

function bytesOf(a: Float64Array | Int32Array | Uint8Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function expectSameState(a: PipeSolver, b: PipeSolver): void {
  for (const key of ['flowM3s', 'depthM', 'headM', 'volumeM3', 'midAreaM2', 'storageMask', 'full'] as const) {
    expect(bytesOf(a[key]).equals(bytesOf(b[key])), key).toBe(true);
  }
}

describe('pipe solvers sharing their links over one buffer', () => {
  it.each(['slot', 'extran'] as const)('step as one solver does bit for bit, however the links are split, and attaching leaves the state alone (%s surcharge)', (surcharge) => {
    const network = branches();
    const net = compileNetwork(network, surcharge);
    const buffer = new SharedArrayBuffer(pipeSharedBytes(net.nodeCount, net.linkCount));
    const alone = new PipeSolver(net, {});
    const lead = new PipeSolver(compileNetwork(network, surcharge), { shared: { buffer, owner: true } });
    const burst = (s: PipeSolver, t: number): void => {
      const q = t < 600 ? 0.12 : 0.01;
      s.inflowM3s[net.nodeIndex.get('W0')!] = q;
      s.inflowM3s[net.nodeIndex.get('E0')!] = q;
    };
    const dt = 1;
    let t = 0;
    for (; t < 30; t += dt) {
      burst(alone, t);
      burst(lead, t);
      alone.step(dt, t);
      lead.step(dt, t);
    }
    // Another thread's solver attaching mid-run (its own compiled copy, as a worker has).
    const member = new PipeSolver(compileNetwork(network, surcharge), { shared: { buffer, owner: false } });
    expectSameState(lead, alone);
    let surcharged = 0;
    let handedOver = 0;
    for (let k = 0; t < 1200; t += dt, k++) {
      burst(alone, t);
      burst(lead, t);
      alone.step(dt, t);
      // A different split every step, both ends included: the lead's links, then the member's.
      const split = k % (net.linkCount + 1);
      lead.step(dt, t, (d) => {
        member.linkFlows(d, split, net.linkCount);
        lead.linkFlows(d, 0, split);
      });
      expectSameState(lead, alone);
      if (alone.full.some((f) => f === 1)) surcharged++;
      if (alone.storageMask.some((m) => m !== 0)) handedOver++;
    }
    // The case is not trivial: pipes ran full and, with EXTRAN storage, the drop's lower half changed hands.
    expect(surcharged).toBeGreaterThan(0);
    if (surcharge === 'extran') expect(handedOver).toBeGreaterThan(0);
  });

  it('refuses a shared buffer too small for the network, naming the bytes it needs', () => {
    const net = compileNetwork(branches(), 'slot');
    const need = pipeSharedBytes(net.nodeCount, net.linkCount);
    expect(() => new PipeSolver(net, { shared: { buffer: new SharedArrayBuffer(need - 8), owner: true } })).toThrow(`needs ${need} bytes, got ${need - 8}`);
  });
});
