import { describe, expect, it } from 'vitest';
import { timingsAt, type Arterial } from '../../../simulations/greenwave/arterial';
import { evaluateBandwidth } from '../../../simulations/greenwave/bandwidth';
import { timeSpaceDiagram } from '../../../simulations/greenwave/timeSpace';
import { layoutTimeSpace } from '../../../simulations/greenwave/timeSpaceLayout';

const arterial: Arterial = {
  cycleSeconds: 60,
  speedMps: 10,
  intersections: [
    { id: 'A', positionM: 0, greenSeconds: 30 },
    { id: 'B', positionM: 300, greenSeconds: 20, inboundGreenSeconds: 25, inboundGreenStartSeconds: 50 },
  ],
};
const timings = timingsAt(arterial, 60, 10);
const offsets = [0, 25];
const diagram = timeSpaceDiagram(['A', 'B'], [0, 300], timings, offsets, evaluateBandwidth(timings, offsets));

describe('time–space diagram', () => {
  it('lists greens and reds that tile three cycles', () => {
    expect(diagram.horizonSeconds).toBe(180);
    const b = diagram.intersections[1]!;
    // Outbound green of B from 25 s for 20 s each cycle.
    expect(b.outbound.filter((i) => i.state === 'green').map((i) => [i.fromSeconds, i.toSeconds])).toEqual([[25, 45], [85, 105], [145, 165]]);
    // Inbound green from 25 + 50 = 75 s ≡ 15 s for 25 s.
    expect(b.inbound.filter((i) => i.state === 'green').map((i) => [i.fromSeconds, i.toSeconds])).toEqual([[15, 40], [75, 100], [135, 160]]);
    expect(b.inbound[0]).toEqual({ fromSeconds: 0, toSeconds: 15, state: 'red' });
    for (const s of diagram.intersections) {
      for (const list of [s.outbound, s.inbound]) {
        expect(list[0]!.fromSeconds).toBe(0);
        expect(list[list.length - 1]!.toSeconds).toBe(180);
        for (let k = 1; k < list.length; k++) expect(list[k]!.fromSeconds).toBe(list[k - 1]!.toSeconds);
      }
    }
  });

  it('draws each band as a parallelogram sloped by the progression speed', () => {
    // Outbound arcs [0,30] and [25−30, −5+20] = [−5,15] → band [0,15].
    expect(diagram.bandwidthSeconds.outbound).toBe(15);
    const first = diagram.bands.find((b) => b.direction === 'outbound')!;
    // One cycle before the window: starts at −60 s at A and reaches B 30 s later.
    expect(first.points).toEqual([[0, -60], [300, -30], [300, -15], [0, -45]]);
  });

  it('lays out bars per station, later stations higher up', () => {
    const layout = layoutTimeSpace(diagram);
    expect(layout.stations.map((s) => s.label)).toEqual(['A 0 m', 'B 300 m']);
    expect(layout.stations[1]!.y).toBeLessThan(layout.stations[0]!.y);
    const width = layout.bars.filter((b) => b.direction === 'outbound' && Math.abs(b.y + 4 - layout.stations[0]!.y) < 1e-9).reduce((a, b) => a + b.width, 0);
    expect(width).toBeCloseTo(layout.plot.width, 9);
    expect(layout.timeTicks[0]).toEqual({ x: layout.plot.x, label: '0' });
  });
});
