/**
 * The simulations the server can run as scenarios. Each kind lives beside this file
 * (flood.ts, traffic.ts, greenwave.ts) and implements ScenarioKind.
 */
import type { ScenarioKind } from './ScenarioKind';

export const SCENARIO_KIND_DEFS: ReadonlyArray<ScenarioKind> = [];
