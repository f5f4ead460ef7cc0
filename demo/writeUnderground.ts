/**
 * The demo's underground networks as the city source's three GeoJSON layers (domain/pipes.ts):
 * drainage nodes, drainage pipes (storm then sewer) and utility lines.
 */
import type { DrainageNodeProps, DrainagePipeProps, UtilityLineProps } from '../domain/pipes';
import type { DrainageNetworkModel } from './drainage';
import { round, type LonLatProjector } from './frame';
import { featureCollection, featureLine, lineString, point } from './geojson';
import type { Underground } from './underground';

export function renderUnderground(u: Underground, proj: LonLatProjector): Array<['drainageNodes' | 'drainagePipes' | 'utilityLines', string]> {
  const networks: DrainageNetworkModel[] = [u.storm, u.sewer];
  const nodes = networks.flatMap(({ spec, nodes }) =>
    nodes.map((n) => {
      const props: DrainageNodeProps = {
        id: n.id,
        network: spec.network,
        kind: n.kind,
        invertElevation: n.invert,
        ...(n.kind === 'manhole' || n.receiving === 'treatment' ? { rimElevation: round(n.ground, 2) } : {}),
        ...(n.kind === 'manhole' ? { shaftDiameterM: 1 } : {}),
        ...(n.receiving ? { receiving: n.receiving, boundary: n.receiving === 'sea' ? 'tidal' : 'free' } : {}),
        owner: spec.owner,
      };
      return featureLine(props, point(proj, n.x, n.y));
    }),
  );
  const pipes = networks.flatMap(({ spec, pipes }) =>
    pipes.map((p) => {
      const props: DrainagePipeProps = {
        id: p.id,
        network: spec.network,
        fromNode: p.from.id,
        toNode: p.to.id,
        fromInvert: p.fromInvert,
        toInvert: p.toInvert,
        ...p.section,
        material: p.material,
        owner: spec.owner,
        installYear: p.installYear,
      };
      return featureLine(props, lineString(proj, p.points));
    }),
  );
  const lines = u.utilities.map((l) => {
    const props: UtilityLineProps = {
      id: l.id,
      network: l.network,
      depthM: l.depthM,
      ...l.section,
      material: l.material,
      owner: l.owner,
      installYear: l.installYear,
      ...(l.pressureMPa !== undefined ? { pressureMPa: l.pressureMPa } : {}),
    };
    return featureLine(props, lineString(proj, l.points));
  });
  return [
    ['drainageNodes', featureCollection(nodes)],
    ['drainagePipes', featureCollection(pipes)],
    ['utilityLines', featureCollection(lines)],
  ];
}
