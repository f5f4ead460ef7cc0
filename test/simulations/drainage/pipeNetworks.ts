/** Small drainage networks the pipe tests share. */
import type { CrossSection, DrainageLink, DrainageNetwork, DrainageNode, OutfallBoundary, OutfallNode } from '../../../simulations/drainage/network';

export function junction(id: string, invertElevationM: number, maxDepthM = 3, extra: Partial<DrainageNode> = {}): DrainageNode {
  return { kind: 'junction', id, invertElevationM, maxDepthM, surfaceAreaM2: 1.167, initialDepthM: 0, ...extra } as DrainageNode;
}

export function outfall(id: string, invertElevationM: number, boundary: OutfallBoundary = { type: 'free' }, tidal = false): OutfallNode {
  return { kind: 'outfall', id, invertElevationM, boundary, tidal };
}

export function link(id: string, fromNode: string, toNode: string, section: CrossSection, lengthM: number, manningN = 0.013): DrainageLink {
  return { id, fromNode, toNode, lengthM, manningN, inOffsetM: 0, outOffsetM: 0, section, initialFlowM3s: 0 };
}

/** A straight reach of `count` equal links at bed slope `slope`, J0 at the top, outfall O at the bottom. */
export function reach(section: CrossSection, count: number, lengthM: number, slope: number, manningN: number, boundary: OutfallBoundary = { type: 'normal' }): DrainageNetwork {
  const nodes: DrainageNode[] = [];
  const links: DrainageLink[] = [];
  for (let i = 0; i <= count; i++) {
    const invert = 20 - i * lengthM * slope;
    nodes.push(i < count ? junction(`J${i}`, invert) : outfall('O', invert, boundary));
    if (i > 0) links.push(link(`C${i}`, `J${i - 1}`, i < count ? `J${i}` : 'O', section, lengthM, manningN));
  }
  return { nodes, links };
}
