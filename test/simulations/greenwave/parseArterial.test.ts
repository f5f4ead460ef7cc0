import { describe, expect, it } from 'vitest';
import { ArterialError, parseArterial } from '../../../simulations/greenwave/parseArterial';

const valid = {
  cycleSeconds: 90,
  speedMps: 13.9,
  intersections: [
    { id: 'A', positionM: 0, greenSeconds: 45 },
    { id: 'B', positionM: 400, greenSeconds: 50, inboundGreenSeconds: 40, inboundGreenStartSeconds: 5 },
    { id: 'C', positionM: 800, greenSeconds: 45 },
  ],
};

/** The path and message of the error parsing `raw` raises. */
function failure(raw: unknown, prefix?: string): string {
  try {
    parseArterial(raw, prefix);
  } catch (err) {
    expect(err).toBeInstanceOf(ArterialError);
    return (err as Error).message;
  }
  throw new Error('expected parseArterial to fail');
}

const withIntersection = (i: number, patch: Record<string, unknown>): unknown => ({
  ...valid,
  intersections: valid.intersections.map((s, j) => (j === i ? { ...s, ...patch } : s)),
});

describe('arterial JSON validation', () => {
  it('accepts the documented shape and keeps optional fields', () => {
    const a = parseArterial({ ...valid, speedRangeMps: [10, 15], cycleRangeSeconds: [60, 120], offsetsSeconds: { B: 12 } });
    expect(a.intersections[1]).toEqual(valid.intersections[1]);
    expect(a.speedRangeMps).toEqual([10, 15]);
    expect(a.offsetsSeconds).toEqual({ B: 12 });
  });

  it('names the offending field', () => {
    expect(failure(withIntersection(2, { positionM: 300 }))).toMatch(/^intersections\[2\]\.positionM: must be greater than the previous intersection's 400/);
    expect(failure(withIntersection(1, { greenSeconds: 95 }))).toBe('intersections[1].greenSeconds: must be above 0 and at most 90, got 95');
    expect(failure(withIntersection(0, { greenSeconds: '45' }))).toBe('intersections[0].greenSeconds: must be a number, got "45"');
    expect(failure(withIntersection(2, { id: 'A' }))).toBe('intersections[2].id: duplicate id "A"');
    expect(failure(withIntersection(1, { inboundGreenSeconds: 0 }))).toMatch(/^intersections\[1\]\.inboundGreenSeconds: must be above 0/);
    expect(failure(withIntersection(0, { colour: 'red' }))).toMatch(/^intersections\[0\]\.colour: unknown field/);
    expect(failure({ ...valid, cycleSeconds: undefined })).toMatch(/^cycleSeconds: must be a number/);
    expect(failure({ ...valid, speedRangeMps: [15, 10] })).toBe('speedRangeMps: max 10 is below min 15');
    expect(failure({ ...valid, cycleRangeSeconds: [10, 100] })).toMatch(/^cycleRangeSeconds\[0\]: must be at least 20/);
    expect(failure({ ...valid, offsetsSeconds: { Z: 3 } })).toBe('offsetsSeconds.Z: is not an intersection id');
    expect(failure({ ...valid, intersections: valid.intersections.slice(0, 1) })).toBe('intersections: must hold 2 to 40 intersections, got 1');
    expect(failure([1, 2])).toBe('arterial: must be a JSON object');
  });

  it('prefixes paths for API bodies', () => {
    expect(failure(withIntersection(2, { positionM: -1 }), 'params.arterial')).toMatch(/^params\.arterial\.intersections\[2\]\.positionM: must be at least 0/);
  });

  it('refuses search grids that would take too long', () => {
    const many = {
      ...valid,
      intersections: Array.from({ length: 40 }, (_, i) => ({ id: `S${i}`, positionM: i * 300, greenSeconds: 40 })),
      cycleRangeSeconds: [20, 300],
      cycleStepSeconds: 0.1,
      speedRangeMps: [1, 40],
      speedStepMps: 0.01,
    };
    expect(failure(many)).toMatch(/^cycleRangeSeconds: the search grid is too large/);
  });
});
