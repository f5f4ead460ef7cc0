/** Small hand-built networks for the traffic tests. */
import type { Link, NetNode, Network } from '../../../simulations/traffic/network';
import type { LineFeature, PointFeature } from '../../../simulations/traffic/twinNetwork';

/** A straight single-lane road A → B → C with a signal at B; `phases` gives B's signal. */
export function corridor(opts: { approachM: number; exitM: number; lanes?: number; redSeconds: number; greenSeconds: number; offsetSeconds?: number }): Network {
  const lanes = opts.lanes ?? 1;
  return {
    nodes: [
      { id: 'A', x: 0, y: 0 },
      {
        id: 'B',
        x: opts.approachM,
        y: 0,
        signal: {
          cycleSeconds: opts.redSeconds + opts.greenSeconds,
          offsetSeconds: opts.offsetSeconds ?? 0,
          phases: [
            { durationSeconds: opts.redSeconds, greenLinks: [] },
            { durationSeconds: opts.greenSeconds, greenLinks: ['AB'] },
          ],
        },
      },
      { id: 'C', x: opts.approachM + opts.exitM, y: 0 },
    ],
    links: [
      { id: 'AB', from: 'A', to: 'B', lengthM: opts.approachM, lanes, speedLimitMps: 15 },
      { id: 'BC', from: 'B', to: 'C', lengthM: opts.exitM, lanes, speedLimitMps: 15 },
    ],
  };
}

/**
 * An n × n grid of two-way, two-lane streets `spacingM` apart, signalised at interior nodes with
 * two phases (east–west, then north–south), each `greenSeconds` long.
 */
export function grid(n: number, spacingM: number, greenSeconds = 30): Network {
  const id = (i: number, j: number): string => `n${i}_${j}`;
  const nodes: NetNode[] = [];
  const links: Link[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) nodes.push({ id: id(i, j), x: i * spacingM, y: j * spacingM });
  const add = (a: string, b: string): void => {
    links.push({ id: `${a}-${b}`, from: a, to: b, lengthM: spacingM, lanes: 2, speedLimitMps: 13.9 });
  };
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i + 1 < n) (add(id(i, j), id(i + 1, j)), add(id(i + 1, j), id(i, j)));
      if (j + 1 < n) (add(id(i, j), id(i, j + 1)), add(id(i, j + 1), id(i, j)));
    }
  }
  for (const node of nodes) {
    const incoming = links.filter((l) => l.to === node.id);
    if (incoming.length < 3) continue;
    const byAxis = (horizontal: boolean): string[] =>
      incoming.filter((l) => (nodes.find((m) => m.id === l.from)!.y === node.y) === horizontal).map((l) => l.id);
    node.signal = {
      cycleSeconds: 2 * greenSeconds,
      offsetSeconds: 0,
      phases: [
        { durationSeconds: greenSeconds, greenLinks: byAxis(true) },
        { durationSeconds: greenSeconds, greenLinks: byAxis(false) },
      ],
    };
  }
  return { nodes, links };
}

/**
 * Twin road and signal features around (113.7° E, 22.83° N): an east–west road (6 lanes) and a
 * north–south road (4 lanes) crossing at the origin under signal S1, and a side street ending
 * 3 m short of the east–west road 150 m east. Metres are converted with a spherical approximation.
 */
export function twinLayers(): { roads: LineFeature[]; signals: PointFeature[] } {
  const lat = (m: number): number => 22.83 + m / 111_320;
  const lon = (m: number): number => 113.7 + m / (111_320 * Math.cos((22.83 * Math.PI) / 180));
  const road = (id: string, name: string, lanes: number, pts: Array<[number, number]>): LineFeature => ({
    geometry: { type: 'LineString', coordinates: pts.map(([x, y]) => [lon(x), lat(y)]) },
    properties: { id, name, class: 'secondary', lanes, widthM: 20, speedKmh: 50 },
  });
  return {
    roads: [
      road('R1', 'East Road', 6, [[-300, 0], [0, 0], [300, 0]]),
      road('R2', 'North Road', 4, [[0, -300], [0, 300]]),
      road('R3', 'Side Street', 2, [[150, 3], [150, 200]]),
    ],
    signals: [{ geometry: { type: 'Point', coordinates: [lon(5), lat(-4)] }, properties: { id: 'S1', code: '0', name: 'x', roadIds: ['R2', 'R1'] } }],
  };
}
