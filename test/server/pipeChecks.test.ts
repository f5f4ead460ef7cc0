/**
 * Planner checks on the underground networks: the pure cores (3D segment distance, clearances
 * between networks, what lies under a road) on pipes laid by hand, then the two endpoints on the
 * demo twin the global setup builds.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipeRecord } from '../../domain/pipes';
import { DEFAULT_DEMO_DIR } from '../../cli/paths';
import { rootErrorHandler } from '../../server/errors';
import { LocalMetres, findClearanceIssues, segmentDistance } from '../../server/pipes/clearances';
import { pipesUnderRoad } from '../../server/pipes/underRoad';
import pipeRoutes from '../../server/routes/pipes/index';
import twinPlugin from '../../server/twin/plugin';

const local = new LocalMetres(113.7, 22.83);
/** A pipe along local metres [x, y, axis z] points. */
function pipe(id: string, network: PipeRecord['network'], points: Array<[number, number, number]>, size: number | [number, number]): PipeRecord {
  const [w, h] = typeof size === 'number' ? [size, size] : size;
  return {
    id,
    network,
    shape: typeof size === 'number' ? 'circular' : 'rectangular',
    widthM: w,
    heightM: h,
    material: 'PE',
    owner: 'x',
    installYear: 2000,
    axis: points.map(([x, y, z]) => [local.lon(x), local.lat(y), z]),
  };
}

describe('segment distance', () => {
  it('is the vertical gap where two level segments cross, and the end gap where they do not', () => {
    expect(segmentDistance([-5, 0, 0, 5, 0, 0], [0, -5, 0.7, 0, 5, 0.7]).distance).toBeCloseTo(0.7, 12);
    const apart = segmentDistance([0, 0, 0, 10, 0, 0], [13, 4, 0, 20, 4, 0]);
    expect(apart.distance).toBeCloseTo(5, 12);
    expect([apart.s, apart.t]).toEqual([1, 0]);
    expect(segmentDistance([0, 0, 0, 10, 0, 0], [0, 2, 1, 10, 2, 1]).distance).toBeCloseTo(Math.SQRT2 * Math.sqrt(2.5), 12);
  });
});

describe('clearances between networks', () => {
  const water = pipe('W', 'water', [[-20, 0, 0], [20, 0, 0]], 0.3);
  it('reports a crossing closer than asked, with its surface-to-surface clearance and place', () => {
    const gas = pipe('G', 'gas', [[0, -20, 0.4], [0, 20, 0.4]], 0.3);
    const { total, issues } = findClearanceIssues([water, gas], { crossingM: 0.15, parallelM: 0.5, limit: 10 });
    expect(total).toBe(1);
    expect(issues[0]).toMatchObject({ a: { id: 'G', network: 'gas' }, b: { id: 'W', network: 'water' }, kind: 'crossing', clearanceM: 0.1, requiredM: 0.15, elevation: 0.2 });
    expect(issues[0]!.lon).toBeCloseTo(113.7, 6);
    expect(findClearanceIssues([water, gas], { crossingM: 0.05, parallelM: 0.5, limit: 10 }).total).toBe(0);
  });

  it('measures a duct bank by its height above and below, not by its width', () => {
    const duct = pipe('D', 'power', [[0, -20, 0.6], [0, 20, 0.6]], [1.0, 0.4]);
    // 0.6 between axes − 0.15 (pipe radius) − 0.2 (half the duct's height) = 0.25.
    expect(findClearanceIssues([water, duct], { crossingM: 0.3, parallelM: 0.5, limit: 10 }).issues[0]!.clearanceM).toBeCloseTo(0.25, 3);
  });

  it('holds parallel runs to their own clearance, leaves one network alone, and keeps one entry per pair', () => {
    const beside = pipe('S', 'sewer', [[-20, 0.6, 0], [0, 0.6, 0], [20, 0.6, 0]], 0.3);
    const twin = pipe('W2', 'water', [[-20, 0.5, 0], [20, 0.5, 0]], 0.3);
    const { issues } = findClearanceIssues([water, beside, twin], { crossingM: 0.15, parallelM: 0.5, limit: 10 });
    expect(issues.map((i) => [i.a.id, i.b.id, i.kind, i.clearanceM])).toEqual([
      ['S', 'W2', 'parallel', -0.2],
      ['S', 'W', 'parallel', 0.3],
    ]);
    expect(findClearanceIssues([water, beside], { crossingM: 0.15, parallelM: 0.5, networks: ['gas'], limit: 10 }).total).toBe(0);
  });
});

describe('what is under a road', () => {
  it('lists the pipes inside the corridor by network, with the length inside', () => {
    const road: Array<[number, number]> = [[local.lon(-50), local.lat(0)], [local.lon(50), local.lat(0)]];
    const along = pipe('A', 'water', [[-60, 3, -2], [60, 3, -2]], 0.3);
    const across = pipe('X', 'gas', [[0, -30, -1], [0, 30, -1]], 0.2);
    const outside = pipe('O', 'telecom', [[-50, 12, -0.6], [50, 12, -0.6]], 0.2);
    const groups = pipesUnderRoad(road, 12, 0, [across, along, outside]);
    expect(groups.map((g) => g.network)).toEqual(['water', 'gas']);
    expect(Math.abs(groups[0]!.pipes[0]!.lengthM - 100)).toBeLessThanOrEqual(1);
    // Lengths are measured in 1 m steps along the axis: to about a metre.
    expect(groups[1]!.pipes[0]).toMatchObject({ id: 'X', topElevation: -0.9, bottomElevation: -1.1 });
    expect(Math.abs(groups[1]!.pipes[0]!.lengthM - 12)).toBeLessThanOrEqual(1);
    expect(pipesUnderRoad(road, 12, 7, [outside])[0]!.network).toBe('telecom');
  });
});

describe('the pipes endpoints on the demo twin', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = Fastify();
    app.setValidatorCompiler(TypeBoxValidatorCompiler);
    app.setErrorHandler(rootErrorHandler);
    await app.register(twinPlugin, { dir: path.join(DEFAULT_DEMO_DIR, 'twin') });
    await app.register(pipeRoutes, { prefix: '/api/pipes' });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lists clearance issues between networks, closest first', async () => {
    const res = await app.inject('/api/pipes/clearances?crossingM=0.15&parallelM=0.5&limit=20');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ total: number; issues: Array<{ a: { network: string }; b: { network: string }; clearanceM: number; requiredM: number }> }>();
    expect(body.issues.length).toBe(Math.min(20, body.total));
    for (const issue of body.issues) {
      expect(issue.a.network).not.toBe(issue.b.network);
      expect(issue.clearanceM).toBeLessThan(issue.requiredM);
    }
    const slack = body.issues.map((i) => i.clearanceM - i.requiredM);
    expect(slack).toEqual([...slack].sort((x, y) => x - y));
  });

  it('answers what is under a road, and 404 for a road that does not exist', async () => {
    const res = await app.inject('/api/pipes/under-road/R0006');
    expect(res.statusCode).toBe(200);
    const networks = res.json<{ networks: Array<{ network: string; lengthM: number }> }>().networks.map((n) => n.network);
    expect(networks).toEqual(expect.arrayContaining(['storm', 'sewer', 'water', 'gas', 'power', 'telecom']));
    const missing = await app.inject('/api/pipes/under-road/NOPE');
    expect(missing.statusCode).toBe(404);
    expect(missing.json<{ message: string }>().message).toContain('road "NOPE" not found');
    expect((await app.inject('/api/pipes/clearances?crossingM=-1')).statusCode).toBe(400);
  });
});
