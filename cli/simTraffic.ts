/**
 * `citytwin sim traffic`: a microscopic traffic run on a network JSON, an OSM extract or the
 * twin's roads, in a worker thread, writing per-vehicle, per-link and per-intersection results.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Demand } from '../simulations/traffic/demand';
import { holidayDemand, peakDemand } from '../simulations/traffic/demandScenarios';
import { CITY_IDM } from '../simulations/traffic/idm';
import { applySignalOffsets, type Network } from '../simulations/traffic/network';
import { readDemand, readNetwork, readTwinNetwork } from '../simulations/traffic/networkFiles';
import { NetworkError } from '../simulations/traffic/networkJson';
import { writeTrafficOutputs } from '../simulations/traffic/outputFiles';
import { runTrafficInWorker } from '../simulations/traffic/worker/runTrafficInWorker';
import { MAX_DURATION_S, MAX_VEHICLES } from '../simulations/traffic/runTraffic';
import { SeedSchema } from '../simulations/traffic/scenarioParams';
import { exportSumo } from '../simulations/traffic/sumoExport';
import { UsageError, parseNumber, parseParamNumber } from './args';
import type { Log } from './ensureBuilt';
import { ensureDemoTwin } from './ensureBuilt';
import { DEFAULT_DEMO_DIR } from './paths';
import type { SimCommand } from './simCommand';

export const TRAFFIC_USAGE = `citytwin sim traffic --network <file|twin|twin-dir> --demand <file|peak|holiday> --duration <s> --out <dir> [options]

Microscopic traffic (IDM car following, lanes, fixed-time signals, routes by travel time).

  --network <src>        network JSON, OSM XML (.osm), a twin package folder, or "twin" for
                         the demo city's roads and signals
  --demand <src>         demand JSON ({"trips":[{"id","from","to","depart"}]} and/or "matrices"),
                         or "peak" / "holiday" for the built-in demands
  --duration <s>         simulated seconds (1–${MAX_DURATION_S})
  --out <dir>            output folder: vehicles.csv, links.json, intersections.json, od.json, summary.json
  --vehicles <n>         vehicles of the built-in demands (default 6000)
  --seed <n>             seed of the built-in and matrix demands (default 1)
  --step <s>             time step (default 0.5)
  --interval <s>         link measurement interval (default 300)
  --signal-offsets <f>   JSON {nodeId: seconds} applied to the signals (a green-wave plan)
  --vehicles-format <f>  csv (default) or json
  --sumo <dir>           also export network and demand as SUMO plain XML into <dir>`;

async function networkFor(source: string, log: Log): Promise<{ network: Network; attractions: string[] }> {
  if (source === 'twin') return readTwinNetwork(await ensureDemoTwin(DEFAULT_DEMO_DIR, 42, log));
  if (existsSync(path.join(source, 'twin.json'))) return readTwinNetwork(source);
  return { network: await readNetwork(source), attractions: [] };
}

async function readOffsets(file: string): Promise<Record<string, number>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (err) {
    throw new UsageError(`--signal-offsets: cannot read ${file} as JSON (${(err as Error).message})`);
  }
  // A green-wave result holds the offsets under offsetsSeconds; a bare map works too.
  const map = typeof raw === 'object' && raw !== null && 'offsetsSeconds' in raw ? (raw as { offsetsSeconds: unknown }).offsetsSeconds : raw;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw new UsageError(`--signal-offsets: ${file} must hold an object {nodeId: seconds}`);
  for (const [k, v] of Object.entries(map)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new UsageError(`--signal-offsets: "${k}" must be a number of seconds`);
  }
  return map as Record<string, number>;
}

export async function trafficCommand(argv: string[], log: Log): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      network: { type: 'string' },
      demand: { type: 'string' },
      duration: { type: 'string' },
      out: { type: 'string' },
      vehicles: { type: 'string' },
      seed: { type: 'string' },
      step: { type: 'string' },
      interval: { type: 'string' },
      'signal-offsets': { type: 'string' },
      'vehicles-format': { type: 'string' },
      sumo: { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}\n\n${TRAFFIC_USAGE}`);
  for (const required of ['network', 'demand', 'duration', 'out'] as const) {
    if (!values[required]) throw new UsageError(`missing --${required}\n\n${TRAFFIC_USAGE}`);
  }
  const durationSeconds = parseNumber(values.duration, '--duration', { min: 1, max: MAX_DURATION_S })!;
  const vehicles = parseNumber(values.vehicles, '--vehicles', { min: 1, max: MAX_VEHICLES, integer: true }) ?? 6000;
  const seed = parseParamNumber(values.seed, '--seed', SeedSchema) ?? 1;
  const stepSeconds = parseNumber(values.step, '--step', { min: 0.05, max: 2 });
  const intervalSeconds = parseNumber(values.interval, '--interval', { min: 1, max: MAX_DURATION_S });
  const format = values['vehicles-format'] ?? 'csv';
  if (format !== 'csv' && format !== 'json') throw new UsageError(`--vehicles-format must be csv or json, got "${format}"`);

  let network: Network;
  let demand: Demand;
  try {
    const loaded = await networkFor(values.network!, log);
    network = loaded.network;
    if (values['signal-offsets']) network = applySignalOffsets(network, await readOffsets(values['signal-offsets']));
    if (values.demand === 'peak') demand = peakDemand(network, { vehicles, seed });
    else if (values.demand === 'holiday') {
      if (loaded.attractions.length === 0) throw new UsageError('--demand holiday needs a twin network (its parks and beaches are the attractions)');
      demand = holidayDemand(network, loaded.attractions, { vehicles, seed });
    } else demand = await readDemand(values.demand!, network);
  } catch (err) {
    if (err instanceof NetworkError || err instanceof RangeError) throw new UsageError(err.message);
    throw err;
  }
  log(`Network: ${network.nodes.length} nodes, ${network.links.length} links, ${network.nodes.filter((n) => n.signal).length} signals; demand: ${demand.trips.length} trips.`);

  if (values.sumo) {
    await mkdir(values.sumo, { recursive: true });
    for (const [name, text] of Object.entries(exportSumo(network, demand.trips, CITY_IDM))) await writeFile(path.join(values.sumo, name), text);
    log(`SUMO plain XML written to ${values.sumo}.`);
  }

  let lastLogged = 0;
  const result = await runTrafficInWorker(network, demand, { durationSeconds, stepSeconds, intervalSeconds }, {
    onProgress: (fraction) => {
      if (fraction - lastLogged >= 0.1) {
        lastLogged = fraction;
        log(`  ${Math.round(fraction * 100)} %`);
      }
    },
  });
  const files = await writeTrafficOutputs(values.out!, result, format);
  const s = result.summary;
  log(
    `Arrived ${s.vehiclesArrived} of ${s.trips} (en route ${s.enRoute}, waiting at origin ${s.waiting}, not yet departed ${s.trips - s.departed}, unroutable ${s.unroutable}); ` +
      `mean travel time ${s.meanTravelTimeSeconds === null ? '–' : s.meanTravelTimeSeconds.toFixed(1) + ' s'}; ` +
      `${Math.round(s.vehicleUpdatesPerSecond).toLocaleString('en')} vehicle updates/s.`,
  );
  log(`Wrote ${files.join(', ')} to ${values.out}.`);
}

export const trafficSimCommand: SimCommand = { usage: TRAFFIC_USAGE, run: trafficCommand };
