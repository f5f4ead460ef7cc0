import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CITY_IDM } from '../../../simulations/traffic/idm';
import { networkFromOsm } from '../../../simulations/traffic/osmNetwork';
import { runTraffic } from '../../../simulations/traffic/runTraffic';
import { exportSumo, netconvertArgs } from '../../../simulations/traffic/sumoExport';
import { serviceAvailable } from '../../support/services';
import { grid } from './networks';

const has = (tool: string): boolean => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
const netconvert = serviceAvailable('netconvert', has('netconvert'), 'apt-get install sumo');
const sumo = serviceAvailable('sumo', has('sumo'), 'apt-get install sumo');

describe('SUMO plain XML export', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'citytwin-sumo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const network = grid(3, 200, 25);
  const trips = [
    { id: 'v0', from: 'n0_0', to: 'n2_2', depart: 0 },
    { id: 'v1', from: 'n2_0', to: 'n0_2', depart: 4 },
    { id: 'v2', from: 'n0_1', to: 'n2_1', depart: 8 },
  ];
  const ours = runTraffic(network, { trips }, { durationSeconds: 600 });
  const routed = trips.map((t, i) => ({ ...t, route: ours.routes[i]! }));
  const files = exportSumo(network, routed, CITY_IDM);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);

  it('writes every link as an edge, the signal programs with their link indices, and the routes', () => {
    expect(files['network.edg.xml'].match(/<edge /g)).toHaveLength(network.links.length);
    // The grid signalises every node with three or more approaches: the centre and the four edge middles.
    expect(files['network.nod.xml'].match(/type="traffic_light"/g)).toHaveLength(5);
    // The centre node: 4 approaches × 2 lanes × 3 onward links (no U-turns), lanes matching.
    expect(files['network.tll.xml'].match(/tl="n1_1"/g)).toHaveLength(24);
    expect(files['network.tll.xml']).toContain('<phase duration="22" state="');
    expect(files['demand.rou.xml']).toContain(`<route edges="${routed[0]!.route.join(' ')}"/>`);
    expect(files['demand.rou.xml']).toContain('carFollowModel="IDM" accel="1" decel="1.5"');
  });

  it.skipIf(!netconvert)('is accepted by netconvert', () => {
    const out = path.join(dir, 'net.net.xml');
    execFileSync('netconvert', netconvertArgs(dir, out), { stdio: 'pipe' });
    const net = readFileSync(out, 'utf8');
    const edges = [...net.matchAll(/<edge id="([^":]+)"/g)].map((m) => m[1]);
    expect(edges.sort()).toEqual(network.links.map((l) => l.id).sort());
    expect(net).toMatch(/<tlLogic id="n1_1" type="static" programID="0" offset="0">/);
  });

  it.skipIf(!netconvert)('exports an OSM-imported network netconvert accepts', () => {
    const osm = networkFromOsm(readFileSync(new URL('./fixtures/crossing.osm', import.meta.url), 'utf8'));
    const sub = path.join(dir, 'osm');
    execFileSync('mkdir', ['-p', sub]);
    for (const [name, text] of Object.entries(exportSumo(osm, [{ id: 'a', from: '1', to: '4', depart: 0 }], CITY_IDM))) writeFileSync(path.join(sub, name), text);
    execFileSync('netconvert', netconvertArgs(sub, path.join(sub, 'net.net.xml')), { stdio: 'pipe' });
    expect(readFileSync(path.join(sub, 'net.net.xml'), 'utf8')).toContain('<tlLogic id="3"');
  });

  it.skipIf(!netconvert || !sumo)('runs in SUMO with every vehicle arriving', () => {
    const out = path.join(dir, 'net.net.xml');
    execFileSync('netconvert', netconvertArgs(dir, out), { stdio: 'pipe' });
    const tripinfo = path.join(dir, 'tripinfo.xml');
    execFileSync('sumo', ['-n', out, '-r', path.join(dir, 'demand.rou.xml'), '--end', '600', '--tripinfo-output', tripinfo, '--no-step-log', 'true'], { stdio: 'pipe' });
    const durations = [...readFileSync(tripinfo, 'utf8').matchAll(/<tripinfo id="(v\d)"[^>]* duration="([\d.]+)"/g)];
    expect(durations.map((m) => m[1]).sort()).toEqual(['v0', 'v1', 'v2']);
  });
});
