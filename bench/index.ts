/**
 * `npm run bench [-- ingest|tiles]`: runs the benchmarks (all by default), prints their tables and
 * writes bench-results/<name>.json. Figures vary with the machine and what else runs on it; the
 * ratios against the baseline measured in the same run are what to compare.
 */
import { runClientBench } from './client';
import { runFloodBench } from './flood';
import { runIngestBench } from './ingest';
import { runLiveBench } from './live';
import { runTilesBench } from './tiles';
import { runTrafficBench } from './traffic';

const BENCHMARKS: Record<string, (log: (line: string) => void) => Promise<unknown>> = {
  client: runClientBench,
  flood: runFloodBench,
  ingest: runIngestBench,
  live: runLiveBench,
  tiles: runTilesBench,
  traffic: runTrafficBench,
};

const log = (line: string): void => console.log(line);

async function main(argv: string[]): Promise<number> {
  const names = argv.length > 0 ? argv : Object.keys(BENCHMARKS);
  const unknown = names.filter((n) => !(n in BENCHMARKS));
  if (unknown.length > 0) {
    console.error(`bench: unknown benchmark ${unknown.map((n) => `"${n}"`).join(', ')}; choose from ${Object.keys(BENCHMARKS).join(', ')}`);
    return 2;
  }
  for (const name of names) {
    const started = performance.now();
    await BENCHMARKS[name]!(log);
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
    console.error(`bench: ${err.stack ?? err.message}`);
    process.exitCode = 1;
  },
);
