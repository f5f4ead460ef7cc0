/**
 * Before the Node tests: the demo twin that `npm start` serves, built when missing or out of date
 * (the same stamp check as `npm start`, so a machine that ran it reuses it). The flood scenario
 * on the demo twin runs in every `npm test`, CI's fresh clone included, instead of skipping.
 */
import { ensureDemoTwin } from '../cli/ensureBuilt';
import { DEFAULT_DEMO_DIR } from '../cli/paths';

/** The seed `npm start` uses. */
const DEMO_SEED = 42;

export default async function setup(): Promise<void> {
  await ensureDemoTwin(DEFAULT_DEMO_DIR, DEMO_SEED, (line) => console.log(`[global setup] ${line}`));
}
