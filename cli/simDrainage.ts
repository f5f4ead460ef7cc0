/**
 * `citytwin sim drainage export`: the twin's storm network as an EPA SWMM 5 `.inp` file
 * (simulations/drainage/twinStormNetwork.ts → swmmInpWriter.ts), for engineers' tools and as the
 * demo's reference network for the pipe model (docs/drainage.md "SWMM interchange and validation").
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DomainError } from '../domain/DomainError';
import type { DrainageNetwork, NodeInflow } from '../simulations/drainage/network';
import { writeSwmmInp } from '../simulations/drainage/swmmInpWriter';
import { readTwinStormNetwork, upstreamOf } from '../simulations/drainage/twinStormNetwork';
import { UsageError, parseNumber } from './args';
import type { Log } from './ensureBuilt';
import type { SimCommand } from './simCommand';
import { readTwinArg } from './twinArg';

export const DRAINAGE_USAGE = `citytwin sim drainage export --twin <dir> --out <file.inp> [options]

Writes the twin package's storm drainage network (manholes, outfalls, pipes; the sewer is left
out) as an EPA SWMM 5 input file: FLOW_UNITS CMS, dynamic wave, node [COORDINATES] in the DEM's
projected CRS. Tidal outfalls follow a sea level series (a tide given here, else mean sea level).

  --twin <dir>            the twin package (default data/demo/twin)
  --out <file.inp>        where to write it
  --outfalls <id,…>       only the network draining to these outfalls
  --duration-h <h>        the run's length in the file (default 6)
  --report-min <min>      report step (default 5)
  --storm-mmh <mm/h>      add a design storm's inflow at every manhole: rational method, runoff
                          coefficient 0.65 over 70 m² of land per metre of pipe at the manhole
                          (half of each pipe it joins), rising over 10 min (default 0: no inflows)
  --storm-min <min>       the storm's length (default 60)
  --tide-amplitude-m <m>  a semidiurnal tide (M2, 12.42 h) around mean sea level at the tidal
                          outfalls, starting at high water (default 0: mean sea level, 0 m)`;

/** The demo's sizing rule (docs/pipes.md): C 0.65 over 70 m of land per metre of road. */
const RUNOFF_COEFFICIENT = 0.65;
const LAND_PER_METRE_M = 70;
const RAMP_S = 600;
const M2_PERIOD_S = 12.42 * 3600;

/** Each junction's share of a design storm: C·i·A with A = 70 m × half its pipes' length. */
export function designStormInflows(network: DrainageNetwork, mmPerHour: number, stormS: number, durationS: number): NodeInflow[] {
  const pipeLength = new Map<string, number>();
  for (const l of network.links) {
    for (const end of [l.fromNode, l.toNode]) pipeLength.set(end, (pipeLength.get(end) ?? 0) + l.lengthM / 2);
  }
  const out: NodeInflow[] = [];
  for (const n of network.nodes) {
    if (n.kind !== 'junction') continue;
    const q = (RUNOFF_COEFFICIENT * mmPerHour * LAND_PER_METRE_M * (pipeLength.get(n.id) ?? 0)) / 3.6e6;
    if (q <= 0) continue;
    const end = Math.min(stormS, durationS);
    out.push({ nodeId: n.id, times: [0, RAMP_S, end, Math.min(end + RAMP_S, durationS)], flowsM3s: [0, q, q, 0] });
  }
  return out;
}

/** Sea level every 15 minutes: amplitude × cos(2πt / 12.42 h) around 0 m (high water at the start). */
export function m2Tide(amplitudeM: number, durationS: number): { times: number[]; stagesM: number[] } {
  const times: number[] = [];
  for (let t = 0; t <= durationS; t += 900) times.push(t);
  return { times, stagesM: times.map((t) => Number((amplitudeM * Math.cos((2 * Math.PI * t) / M2_PERIOD_S)).toFixed(4))) };
}

export async function drainageExportCommand(argv: string[], log: Log): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'export') throw new UsageError(`unknown drainage command "${sub ?? ''}"\n\n${DRAINAGE_USAGE}`);
  const { values: v, positionals } = parseArgs({
    args: rest,
    strict: true,
    allowPositionals: true,
    options: {
      twin: { type: 'string' },
      out: { type: 'string' },
      outfalls: { type: 'string' },
      'duration-h': { type: 'string' },
      'report-min': { type: 'string' },
      'storm-mmh': { type: 'string' },
      'storm-min': { type: 'string' },
      'tide-amplitude-m': { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}\n\n${DRAINAGE_USAGE}`);
  if (!v.out) throw new UsageError(`missing --out <file.inp>\n\n${DRAINAGE_USAGE}`);
  const durationS = (parseNumber(v['duration-h'], '--duration-h', { min: 0.1, max: 168 }) ?? 6) * 3600;
  const reportStepS = (parseNumber(v['report-min'], '--report-min', { min: 0.5, max: 1440 }) ?? 5) * 60;
  const stormMmh = parseNumber(v['storm-mmh'], '--storm-mmh', { min: 0, max: 500 }) ?? 0;
  const stormS = (parseNumber(v['storm-min'], '--storm-min', { min: 1, max: 10_080 }) ?? 60) * 60;
  const tide = parseNumber(v['tide-amplitude-m'], '--tide-amplitude-m', { min: 0, max: 10 }) ?? 0;
  const { dir, manifest } = await readTwinArg(v.twin);
  try {
    const { network: whole, crs } = await readTwinStormNetwork(dir, manifest);
    const network = v.outfalls ? upstreamOf(whole, v.outfalls.split(',').map((s) => s.trim()).filter(Boolean)) : whole;
    const inflows = stormMmh > 0 ? designStormInflows(network, stormMmh, stormS, durationS) : [];
    const title = [
      `${manifest.name.en} storm drainage network, exported by citytwin (node coordinates in ${crs})`,
      ...(stormMmh > 0 ? [`design storm ${stormMmh} mm/h for ${stormS / 60} min (rational method, C ${RUNOFF_COEFFICIENT})`] : []),
    ].join('\n');
    const text = writeSwmmInp({
      title, network, inflows,
      options: { durationS, reportStepS, routingStepS: 5, inertialDamping: 'partial' },
      seaLevel: m2Tide(tide, durationS),
    });
    await writeFile(v.out, text);
    const outfalls = network.nodes.filter((n) => n.kind === 'outfall').length;
    log(`drainage export: ${network.nodes.length - outfalls} manholes, ${outfalls} outfalls, ${network.links.length} pipes, ${inflows.length} inflows → ${v.out}`);
  } catch (err) {
    if (err instanceof DomainError) throw new UsageError(err.message);
    throw err;
  }
}

export const drainageSimCommand: SimCommand = { usage: DRAINAGE_USAGE, run: drainageExportCommand };
