/**
 * `citytwin sim greenwave`: the MAXBAND plan for an arterial JSON, its time–space diagrams, and
 * the traffic simulation before and after the plan.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ArterialError, parseArterial } from '../simulations/greenwave/parseArterial';
import { runGreenWaveStudy, studyFiles, type GreenWaveStudyInput } from '../simulations/greenwave/greenWaveStudy';
import type { CorridorKpis } from '../simulations/greenwave/compareGreenWave';
import { expandDemand, parseDemand } from '../simulations/traffic/demand';
import { NetworkError, parseNetwork } from '../simulations/traffic/networkJson';
import { UsageError, parseNumber } from './args';
import type { Log } from './ensureBuilt';
import type { SimCommand } from './simCommand';

export const GREENWAVE_USAGE = `citytwin sim greenwave --arterial <json> --out <dir> [options]

Finds the signal offsets (and, given ranges, the common cycle and progression
speed) that maximise two-way bandwidth b + k·b̄ along an arterial (MAXBAND, exact
optimum), then runs the traffic simulation before and after the plan.

  --arterial <json>     {"cycleSeconds","speedMps","intersections":[{"id","positionM",
                        "greenSeconds","inboundGreenSeconds"?,"inboundGreenStartSeconds"?}],
                        "speedRangeMps"?:[lo,hi],"cycleRangeSeconds"?:[lo,hi],
                        "offsetsSeconds"?:{id:s},"inboundWeight"?:k}  (docs/greenwave.md)
  --out <dir>           writes result.json, before-after.json, time-space.svg,
                        time-space-before.svg
  --network <json>      run before/after on this traffic network (arterial ids are
  --demand <json>       its signal node ids) and demand, instead of the arterial's
                        own corridor network with through and crossing traffic
  --duration <s>        simulated seconds per traffic run (default: demand + 900)
  --through <veh/h>     corridor network: through vehicles per hour each way (700)
  --no-traffic          optimise only`;

/** Input files larger than this are refused before parsing. */
const MAX_INPUT_BYTES = 64 * 1024 * 1024;

async function readJson(file: string, option: string): Promise<unknown> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    throw new UsageError(`${option}: cannot read "${file}"`);
  }
  if (size > MAX_INPUT_BYTES) throw new UsageError(`${option}: "${file}" is ${size} bytes, more than the limit of ${MAX_INPUT_BYTES}`);
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${option}: "${file}" is not valid JSON (${(err as Error).message})`);
  }
}

/** Validation errors from the cores become usage errors naming the file and the field. */
function inFile<T>(option: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof ArterialError || err instanceof NetworkError || err instanceof RangeError) {
      throw new UsageError(`${option}: ${err.message}`);
    }
    throw err;
  }
}

const fmt = (x: number | null, digits = 1): string => (x === null ? '–' : x.toFixed(digits));

function kpiLine(label: string, k: CorridorKpis): string {
  const d = (name: string, x: CorridorKpis['outbound']): string =>
    `${name} ${x.vehicles} veh, ${fmt(x.meanTravelTimeSeconds)} s, delay ${fmt(x.meanDelaySeconds)} s, ${fmt(x.meanStops, 2)} stops`;
  return `  ${label.padEnd(7)} ${d('outbound', k.outbound)} | ${d('inbound', k.inbound)}`;
}

export async function greenwaveCommand(argv: string[], log: Log): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      arterial: { type: 'string' },
      out: { type: 'string' },
      network: { type: 'string' },
      demand: { type: 'string' },
      duration: { type: 'string' },
      through: { type: 'string' },
      'no-traffic': { type: 'boolean' },
    },
  });
  if (!values.arterial) throw new UsageError(`--arterial is required\n\n${GREENWAVE_USAGE}`);
  if (!values.out) throw new UsageError(`--out is required\n\n${GREENWAVE_USAGE}`);
  if ((values.network === undefined) !== (values.demand === undefined)) throw new UsageError('--network and --demand go together');
  const simulateSeconds = parseNumber(values.duration, '--duration', { min: 60, max: 86_400 });
  const throughVehPerHour = parseNumber(values.through, '--through', { min: 0, max: 5_000 });

  const arterialRaw = await readJson(values.arterial, '--arterial');
  const arterial = inFile('--arterial', () => parseArterial(arterialRaw));
  const input: GreenWaveStudyInput = { arterial };
  if (values['no-traffic']) input.traffic = null;
  else input.traffic = { simulateSeconds, throughVehPerHour };
  if (values.network && values.demand) {
    const networkRaw = await readJson(values.network, '--network');
    const demandRaw = await readJson(values.demand, '--demand');
    const network = inFile('--network', () => parseNetwork(networkRaw));
    const spec = inFile('--demand', () => parseDemand(demandRaw, new Set(network.nodes.map((n) => n.id))));
    input.network = network;
    input.demand = expandDemand(spec);
  }
  // Corridor mismatches (an arterial id that is no signal node of the network) name the file too.
  const study = inFile(input.network ? '--network' : '--arterial', () => runGreenWaveStudy(input));

  const outDir = path.resolve(values.out);
  await mkdir(outDir, { recursive: true });
  const files = studyFiles(study, path.basename(values.arterial));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(outDir, name), text);

  const p = study.plan;
  log(`Green wave over ${arterial.intersections.length} intersections: cycle ${fmt(p.cycleSeconds)} s, speed ${fmt(p.speedMps)} m/s`);
  log(`  bandwidth outbound ${fmt(p.bandwidthSeconds.outbound)} s, inbound ${fmt(p.bandwidthSeconds.inbound)} s` +
    ` (efficiency ${(100 * p.efficiency.twoWay).toFixed(1)} %; before ${fmt(p.before.bandwidthSeconds.outbound)} s / ${fmt(p.before.bandwidthSeconds.inbound)} s)`);
  log(`  offsets: ${Object.entries(p.offsetsSeconds).map(([id, o]) => `${id} ${fmt(o)}`).join(', ')}`);
  const ba = study.beforeAfter;
  if (ba) {
    log(`Traffic before/after (${ba.network === 'given' ? 'given network' : 'corridor network'}, ${ba.trips} trips, ${ba.simulateSeconds} s):`);
    log(kpiLine('before', ba.before));
    log(kpiLine('after', ba.after));
    log(`  change along the arterial: travel time ${fmt(ba.change.meanTravelTimeSeconds)} s, delay ${fmt(ba.change.meanDelaySeconds)} s, stops ${fmt(ba.change.meanStops, 2)}`);
  }
  log(`Wrote ${Object.keys(files).join(', ')} to ${outDir}`);
}

export const greenwaveSimCommand: SimCommand = { usage: GREENWAVE_USAGE, run: greenwaveCommand };
