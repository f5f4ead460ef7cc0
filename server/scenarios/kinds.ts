/**
 * The simulations the server can run as scenarios. Each kind lives beside this file
 * (flood.ts, traffic.ts, greenwave.ts) and implements ScenarioKind.
 */
import { floodScenario } from './flood';
import { greenwaveScenario } from './greenwave';
import type { ScenarioKind } from './ScenarioKind';
import { trafficScenario } from './traffic';

// The widening casts are sound: the runner hands each kind's run() only what that kind's own
// parseParams() returned.
export const SCENARIO_KIND_DEFS: ReadonlyArray<ScenarioKind> = [
  floodScenario as ScenarioKind,
  trafficScenario as ScenarioKind,
  greenwaveScenario as ScenarioKind,
];
