/**
 * `npm run bench [-- ingest|tiles]`: runs the benchmarks (all by default), prints their tables and
 * writes bench-results/<name>.json. Figures vary with the machine and what else runs on it; the
 * ratios against the baseline measured in the same run are what to compare.
 */
import { runClientBench } from './client';
import { runCommandBench } from './command';
import { runEmergencyBench } from './emergency';
import { runFloodBench } from './flood';
import { runHistoryBench } from './history';
import { runIfcBench } from './ifc';
import { runIngestBench } from './ingest';
import { runLiveBench } from './live';
import { runScaleBench } from './scale';
import { runSoakBench } from './soak';
import { BenchOptionError } from './scaleOptions';
import { runTilesBench } from './tiles';
import { runTrafficBench } from './traffic';
import { runVideoBench } from './video';
import { runViewersBench } from './viewers';

const BENCHMARKS: Record<string, (log: (line: string) => void, options: readonly string[]) => Promise<unknown>> = {
  client: runClientBench,
  command: runCommandBench,
  emergency: runEmergencyBench,
  flood: runFloodBench,
  history: runHistoryBench,
  ifc: runIfcBench,
  ingest: runIngestBench,
  live: runLiveBench,
  scale: runScaleBench,
  soak: runSoakBench,
  tiles: runTilesBench,
  traffic: runTrafficBench,
  video: runVideoBench,
  viewers: runViewersBench,
};

/** Benchmarks that take `--options` after their name (`npm run bench:scale -- --steps 1000`). */
const TAKES_OPTIONS = new Set(['flood', 'history', 'scale', 'soak']);

const log = (line: string): void => console.log(line);

async function main(argv: string[]): Promise<number> {
  const firstOption = argv.findIndex((a) => a.startsWith('--'));
  const options = firstOption < 0 ? [] : argv.slice(firstOption);
  const named = firstOption < 0 ? argv : argv.slice(0, firstOption);
  const names = named.length > 0 ? named : Object.keys(BENCHMARKS);
  if (options.length > 0 && !(names.length === 1 && TAKES_OPTIONS.has(names[0]!))) {
    console.error(`bench: options (${options[0]}) go after one benchmark that takes them: ${[...TAKES_OPTIONS].join(', ')}`);
    return 2;
  }
  const unknown = names.filter((n) => !(n in BENCHMARKS));
  if (unknown.length > 0) {
    console.error(`bench: unknown benchmark ${unknown.map((n) => `"${n}"`).join(', ')}; choose from ${Object.keys(BENCHMARKS).join(', ')}`);
    return 2;
  }
  for (const name of names) {
    const started = performance.now();
    await BENCHMARKS[name]!(log, options);
    log(`${name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    log('');
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    console.error(err instanceof BenchOptionError ? err.message : `bench: ${err.stack ?? err.message}`);
    process.exitCode = err instanceof BenchOptionError ? 2 : 1;
  },
);
