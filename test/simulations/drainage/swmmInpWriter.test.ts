import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DrainageNetwork } from '../../../simulations/drainage/network';
import { readSwmmInp } from '../../../simulations/drainage/swmmInp';
import { writeSwmmInp } from '../../../simulations/drainage/swmmInpWriter';
import { REWRITTEN, rewrite } from '../../fixtures/swmm/rewrite';
import { FIXTURE_DIR, type SwmmResults } from './swmmComparison';

const EPA = ['extran1', 'extran2', 'test1', 'test3', 'test4'];

describe('writeSwmmInp', () => {
  for (const name of EPA) {
    it(`${name}: read(write(read(file))) gives the same network, inflows and options`, () => {
      const first = readSwmmInp(readFileSync(join(FIXTURE_DIR, `${name}.inp`), 'utf8'));
      const again = readSwmmInp(writeSwmmInp(first));
      expect(again.network).toEqual(first.network);
      expect(again.inflows).toEqual(first.inflows);
      expect(again.title).toBe(first.title);
      const { flowUnits, ...options } = first.options;
      expect(flowUnits).toBe('CFS');
      expect(again.options).toEqual({ ...options, flowUnits: 'CMS' });
    });
  }

  it('writes shapes, offsets, gates, fixed and series stages, and tidal outfalls on a sea level series', () => {
    const network: DrainageNetwork = {
      nodes: [
        { kind: 'junction', id: 'J1', invertElevationM: 3, maxDepthM: 2.5, surfaceAreaM2: 1, initialDepthM: 0.1, x: 500000.5, y: 2500000.25 },
        { kind: 'outfall', id: 'SEA', invertElevationM: -1, boundary: { type: 'fixed', stageM: 0 }, tidal: true, flapGate: true },
        { kind: 'outfall', id: 'RIVER', invertElevationM: 1, boundary: { type: 'timeseries', times: [0, 1800.5], stagesM: [1.2, 1.7] } },
      ],
      links: [
        { id: 'BOX', fromNode: 'J1', toNode: 'SEA', lengthM: 80, manningN: 0.015, inOffsetM: 0.2, outOffsetM: 0, section: { shape: 'rect-closed', heightM: 1.2, widthM: 2 }, initialFlowM3s: 0 },
        { id: 'DITCH', fromNode: 'J1', toNode: 'RIVER', lengthM: 40, manningN: 0.03, inOffsetM: 0, outOffsetM: 0.3, section: { shape: 'rect-open', heightM: 1, widthM: 1.5 }, initialFlowM3s: 0 },
      ],
    };
    const text = writeSwmmInp({ network, inflows: [{ nodeId: 'J1', times: [0, 600, 3600], flowsM3s: [0, 0.8, 0] }], options: { durationS: 7200, reportStepS: 60 }, seaLevel: { times: [0, 3600, 7200], stagesM: [0.5, -0.5, 0.5] } });
    expect(text).toMatch(/^SEA +-1 +TIMESERIES +sea\.level +YES$/m);
    expect(text).toMatch(/^RIVER +1 +TIMESERIES +RIVER\.stage +NO$/m);
    const back = readSwmmInp(text);
    expect(back.network.links).toEqual(network.links);
    expect(back.network.nodes[0]).toEqual(network.nodes[0]);
    expect(back.network.nodes[1]).toEqual({ kind: 'outfall', id: 'SEA', invertElevationM: -1, boundary: { type: 'timeseries', times: [0, 3600, 7200], stagesM: [0.5, -0.5, 0.5] }, flapGate: true });
    const river = back.network.nodes[2]!;
    expect(river.kind === 'outfall' && river.boundary.type === 'timeseries' && river.boundary.times[1]).toBeCloseTo(1800.5, 6);
    expect(back.inflows[0]!.flowsM3s.slice(0, 3)).toEqual([0, 0.8, 0]);
    expect(back.options).toMatchObject({ durationS: 7200, reportStepS: 60 });
  });

  it('refuses ids SWMM cannot read', () => {
    const network: DrainageNetwork = { nodes: [{ kind: 'outfall', id: 'O 1', invertElevationM: 0, boundary: { type: 'free' } }], links: [] };
    expect(() => writeSwmmInp({ network, inflows: [] })).toThrow('node id "O 1" cannot be written to a .inp file');
  });
});

describe('SWMM 5 reads the writer\'s files as it reads the originals (fixtures written/)', () => {
  for (const name of REWRITTEN) {
    it(`${name}: the committed written/${name}.inp is the writer's current output, and SWMM's results on it equal those on EPA's file`, () => {
      expect(readFileSync(join(FIXTURE_DIR, 'written', `${name}.inp`), 'utf8')).toBe(rewrite(name));
      const original = JSON.parse(readFileSync(join(FIXTURE_DIR, `${name}.swmm.json`), 'utf8')) as SwmmResults;
      const written = JSON.parse(readFileSync(join(FIXTURE_DIR, 'written', `${name}.swmm.json`), 'utf8')) as SwmmResults;
      expect(written.timesS).toEqual(original.timesS);
      expect(Object.keys(written.links).sort()).toEqual(Object.keys(original.links).sort());
      for (const [id, n] of Object.entries(original.nodes)) {
        n.depthM.forEach((d, k) => expect(Math.abs(written.nodes[id]!.depthM[k]! - d)).toBeLessThanOrEqual(0.01));
      }
      for (const [id, l] of Object.entries(original.links)) {
        const peak = Math.max(...l.flowM3s.map(Math.abs));
        l.flowM3s.forEach((q, k) => expect(Math.abs(written.links[id]!.flowM3s[k]! - q)).toBeLessThanOrEqual(0.01 * peak));
      }
    });
  }
});
