/**
 * Checks a drainage network before it is compiled: every link names two existing, different
 * nodes, sizes are positive and within reason, ids are unique, and the network is within the
 * limits one run may take. Each refusal names the node or link and the field
 * (`link "C7": fromNode "J9" is not a node of the network`). Loops are allowed (dynamic-wave
 * routing needs no tree).
 */
import { DomainError } from '../../domain/DomainError';
import type { CrossSection, DrainageNetwork, NodeInflow } from './network';

/** Most nodes and links one run may take (a city's storm network is a few 10 000). */
export const MAX_DRAINAGE_NODES = 200_000;
export const MAX_DRAINAGE_LINKS = 200_000;
/** Most points in one inflow or stage series. */
export const MAX_SERIES_POINTS = 100_000;

export class DrainageNetworkError extends DomainError {
  constructor(field: string, message: string) {
    super('invalid', `${field}: ${message}`, [field]);
    this.name = 'DrainageNetworkError';
  }
}

function fail(field: string, message: string): never {
  throw new DrainageNetworkError(field, message);
}

function checkRange(value: number, min: number, max: number, field: string, unit: string): void {
  if (!(typeof value === 'number' && value >= min && value <= max)) fail(field, `must be a number between ${min} and ${max} ${unit}, got ${value}`);
}

function checkPositive(value: number, max: number, field: string): void {
  if (!(typeof value === 'number' && value > 0 && value <= max)) fail(field, `must be a number > 0 and ≤ ${max} m, got ${value}`);
}

function checkSection(section: CrossSection, where: string): void {
  switch (section.shape) {
    case 'circular':
      checkPositive(section.diameterM, 50, `${where}.diameterM`);
      return;
    case 'rect-closed':
    case 'rect-open':
      checkPositive(section.heightM, 50, `${where}.heightM`);
      checkPositive(section.widthM, 200, `${where}.widthM`);
      return;
    case 'trapezoidal':
      checkPositive(section.heightM, 50, `${where}.heightM`);
      checkRange(section.bottomWidthM, 0, 200, `${where}.bottomWidthM`, 'm');
      checkRange(section.leftSlope, 0, 100, `${where}.leftSlope`, '(horizontal per vertical)');
      checkRange(section.rightSlope, 0, 100, `${where}.rightSlope`, '(horizontal per vertical)');
      if (section.bottomWidthM === 0 && section.leftSlope + section.rightSlope === 0) fail(where, 'a trapezoid needs a bottom width or side slopes');
      return;
    default:
      fail(`${where}.shape`, `unknown shape "${(section as { shape: string }).shape}"; use circular, rect-closed, rect-open or trapezoidal`);
  }
}

function checkSeriesPoints(times: number[], values: number[], field: string, valueName: string, min: number, max: number): void {
  if (!Array.isArray(times) || !Array.isArray(values) || times.length === 0 || times.length !== values.length) {
    fail(field, `needs as many ${valueName} as times, at least one (got ${times?.length ?? 0} times, ${values?.length ?? 0} ${valueName})`);
  }
  if (times.length > MAX_SERIES_POINTS) fail(field, `has ${times.length} points, over the limit of ${MAX_SERIES_POINTS}`);
  for (let k = 0; k < times.length; k++) {
    if (!Number.isFinite(times[k]) || (k > 0 && !(times[k]! > times[k - 1]!))) fail(`${field}.times[${k}]`, `times must increase, got ${times[k]} after ${times[k - 1]}`);
    checkRange(values[k]!, min, max, `${field}.${valueName}[${k}]`, '');
  }
}

/** Throws DrainageNetworkError naming the first bad node, link or field. */
export function checkDrainageNetwork(network: DrainageNetwork): void {
  const { nodes, links } = network;
  if (!Array.isArray(nodes) || nodes.length === 0) fail('nodes', 'the network has no nodes');
  if (!Array.isArray(links)) fail('links', 'must be a list');
  if (nodes.length > MAX_DRAINAGE_NODES) fail('nodes', `${nodes.length} nodes is over the limit of ${MAX_DRAINAGE_NODES}`);
  if (links.length > MAX_DRAINAGE_LINKS) fail('links', `${links.length} links is over the limit of ${MAX_DRAINAGE_LINKS}`);
  const ids = new Set<string>();
  for (const node of nodes) {
    if (typeof node.id !== 'string' || node.id === '') fail('nodes', 'every node needs an id');
    const where = `node "${node.id}"`;
    if (ids.has(node.id)) fail(where, 'the id is used twice');
    ids.add(node.id);
    checkRange(node.invertElevationM, -12_000, 9_000, `${where}.invertElevationM`, 'm');
    if (node.kind === 'junction') {
      checkRange(node.maxDepthM, 0, 200, `${where}.maxDepthM`, 'm');
      checkRange(node.surfaceAreaM2, 0, 1e6, `${where}.surfaceAreaM2`, 'm²');
      checkRange(node.initialDepthM, 0, 200, `${where}.initialDepthM`, 'm');
      if (node.maxDepthM > 0 && node.initialDepthM > node.maxDepthM) fail(`${where}.initialDepthM`, `${node.initialDepthM} m is above the maxDepthM ${node.maxDepthM} m`);
    } else if (node.kind === 'outfall') {
      const b = node.boundary;
      if (b.type === 'fixed') checkRange(b.stageM, -12_000, 9_000, `${where}.boundary.stageM`, 'm');
      else if (b.type === 'timeseries') checkSeriesPoints(b.times, b.stagesM, `${where}.boundary`, 'stagesM', -12_000, 9_000);
      else if (b.type !== 'free' && b.type !== 'normal') fail(`${where}.boundary.type`, `unknown outfall type "${(b as { type: string }).type}"; use free, normal, fixed or timeseries`);
    } else fail(`${where}.kind`, `unknown kind "${(node as { kind: string }).kind}"; use junction or outfall`);
  }
  const linkIds = new Set<string>();
  for (const link of links) {
    if (typeof link.id !== 'string' || link.id === '') fail('links', 'every link needs an id');
    const where = `link "${link.id}"`;
    if (linkIds.has(link.id)) fail(where, 'the id is used twice');
    linkIds.add(link.id);
    if (!ids.has(link.fromNode)) fail(`${where}.fromNode`, `"${link.fromNode}" is not a node of the network`);
    if (!ids.has(link.toNode)) fail(`${where}.toNode`, `"${link.toNode}" is not a node of the network`);
    if (link.fromNode === link.toNode) fail(`${where}.toNode`, `the link starts and ends at "${link.fromNode}"`);
    checkPositive(link.lengthM, 100_000, `${where}.lengthM`);
    if (!(link.manningN > 0 && link.manningN <= 1)) fail(`${where}.manningN`, `must be a number > 0 and ≤ 1, got ${link.manningN}`);
    checkRange(link.inOffsetM, 0, 200, `${where}.inOffsetM`, 'm');
    checkRange(link.outOffsetM, 0, 200, `${where}.outOffsetM`, 'm');
    checkRange(link.initialFlowM3s, -100_000, 100_000, `${where}.initialFlowM3s`, 'm³/s');
    if (!link.section || typeof link.section !== 'object') fail(`${where}.section`, 'is missing');
    checkSection(link.section, `${where}.section`);
  }
}

/** Throws DrainageNetworkError for an inflow naming a missing node or with a bad series. */
export function checkNodeInflows(network: DrainageNetwork, inflows: NodeInflow[]): void {
  const ids = new Set(network.nodes.map((n) => n.id));
  inflows.forEach((inflow, k) => {
    const field = `inflows[${k}]`;
    if (!ids.has(inflow.nodeId)) fail(`${field}.nodeId`, `"${inflow.nodeId}" is not a node of the network`);
    checkSeriesPoints(inflow.times, inflow.flowsM3s, field, 'flowsM3s', -100_000, 100_000);
  });
}
