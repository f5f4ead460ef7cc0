/**
 * What a simulation contributes to the server's scenario runner (server/scenarios/plugin.ts):
 * its params schema and validator, and a run function. The runner owns the queue, progress events on the live
 * socket, cancellation, storing results in the database and the HTTP API; a kind only turns
 * params + the loaded twin into result files (in a temporary folder) and a summary.
 *
 * Heavy work belongs in worker threads started by `run` (the cores in simulations/ are pure and
 * run there), so the server's event loop keeps serving the live feed during a run.
 */
import type { TSchema } from 'typebox';
import type { ScenarioKindName } from '../../domain/scenarios';
import type { TwinIndex } from '../twin/TwinIndex';

export type { ScenarioKindName } from '../../domain/scenarios';

export { ScenarioParamsError } from '../../simulations/scenarioParams';

export interface ScenarioContext {
  /** The loaded twin: `twin.dir` + `twin.manifest.files` locate the DEM, roads, signals, land use… */
  twin: TwinIndex;
  /** An empty temporary folder for this run's result files (the runner stores them in the database). */
  outDir: string;
  /** 0..1 and a short message; the runner throttles what it forwards to browsers. */
  onProgress(fraction: number, message?: string): void;
  /** Aborted on cancel or server shutdown: stop workers and reject soon after. */
  signal: AbortSignal;
}

export interface ScenarioOutcome {
  /** Small JSON shown in lists and compared between scenarios (figures, counts, KPIs). */
  summary: Record<string, unknown>;
  /** Result files written to outDir, relative names (e.g. "max-depth.asc", "frames.bin"). */
  files: string[];
}

export interface ScenarioKind<P = unknown> {
  kind: ScenarioKindName;
  /**
   * The TypeBox schema of `params` (simulations/<kind>/scenarioParams.ts): the API documents
   * it in its OpenAPI document; absent, params are any JSON the kind's parseParams accepts.
   */
  paramsSchema?: TSchema;
  /** Validates a request's `params`; throws ScenarioParamsError naming the field. */
  parseParams(raw: unknown): P;
  /** Checks parsed params against the loaded twin (ids that must exist in it) before queueing; throws ScenarioParamsError. */
  checkAgainstTwin?(params: P, twin: TwinIndex): Promise<void>;
  run(params: P, ctx: ScenarioContext): Promise<ScenarioOutcome>;
}
