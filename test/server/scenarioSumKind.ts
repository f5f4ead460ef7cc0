/**
 * A scenario kind for the runner tests: a small real computation (sums 1..upTo, one number per
 * `stepMs`, reporting progress and honouring the abort signal) that writes sum.json, and pad.bin
 * of `padBytes` zeros when asked, to try the result limit. It stands in for the flood kind, so
 * the runner is tested on its own; the real kinds have their own tests.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ScenarioParamsError, type ScenarioKind } from '../../server/scenarios/ScenarioKind';

export interface SumParams {
  upTo: number;
  stepMs: number;
  padBytes: number;
}

export const sumKind: ScenarioKind<SumParams> = {
  kind: 'flood',
  parseParams(raw) {
    const p = raw as Partial<SumParams>;
    if (!Number.isInteger(p.upTo) || p.upTo! < 1 || p.upTo! > 1000) throw new ScenarioParamsError('upTo', 'must be an integer 1..1000');
    return { upTo: p.upTo!, stepMs: typeof p.stepMs === 'number' ? p.stepMs : 1, padBytes: typeof p.padBytes === 'number' ? p.padBytes : 0 };
  },
  async run(params, ctx) {
    let sum = 0;
    for (let i = 1; i <= params.upTo; i++) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      sum += i;
      ctx.onProgress(i / params.upTo, `added ${i}`);
      await new Promise((r) => setTimeout(r, params.stepMs));
    }
    await writeFile(path.join(ctx.outDir, 'sum.json'), JSON.stringify({ sum }));
    const summary = { sum, poles: ctx.twin.poles.length };
    if (params.padBytes === 0) return { summary, files: ['sum.json'] };
    await writeFile(path.join(ctx.outDir, 'pad.bin'), Buffer.alloc(params.padBytes));
    return { summary, files: ['sum.json', 'pad.bin'] };
  },
};
