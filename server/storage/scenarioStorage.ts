/**
 * Scenarios in the database: one queue shared by every server instance on it. A scenario row
 * moves queued → running (claimed by one instance, which heartbeats while it runs) → done,
 * failed or cancelled; result files are stored beside it in parts, so any instance serves them.
 *
 * Claiming is atomic (PostgreSQL `FOR UPDATE SKIP LOCKED`, SQLite one write transaction), so two
 * instances never run one scenario. A cancel is a flag any instance may set; the running
 * instance reads it with its heartbeat. A run whose instance stopped heartbeating is marked
 * failed by whichever instance notices first — not re-queued: a run that took its instance down
 * (memory, a crash in a worker) would otherwise take the next one down too.
 */
import type { Scenario } from '../../domain/scenarios';

/** Result files are stored in parts of this size, so neither a write nor a read holds a whole file. */
export const SCENARIO_FILE_PART_BYTES = 4 * 1024 * 1024;

export interface ScenarioListQuery {
  kind?: string;
  /** Newest first, at most this many. */
  limit: number;
}

/** What the running instance learns from a heartbeat. */
export interface ScenarioHeartbeat {
  cancelRequested: boolean;
}

/** A stored result file: its size and its bytes, read part by part as the consumer pulls them. */
export interface StoredScenarioFile {
  size: number;
  parts: AsyncIterable<Buffer>;
}

export interface ScenarioStorage {
  /**
   * Stores a new queued scenario unless `maxQueued` scenarios are queued already; false when
   * refused. (Across instances the count is a soft limit: two inserts at once may both pass.)
   */
  insertScenario(scenario: Scenario, maxQueued: number): Promise<boolean>;
  /**
   * Replaces the scenario's public fields. With `claimedBy`, only while that instance holds the
   * running claim (false otherwise: the run was deleted, expired or handed on). A status other
   * than running clears the claim.
   */
  updateScenario(scenario: Scenario, claimedBy?: string): Promise<boolean>;
  getScenario(id: string): Promise<Scenario | undefined>;
  listScenarios(query: ScenarioListQuery): Promise<Scenario[]>;
  /** Deletes the scenario with its result files; false when there was none. */
  deleteScenario(id: string): Promise<boolean>;
  /** The oldest queued scenario of one of `kinds`, now running and claimed by `instanceId`. */
  claimNextScenario(instanceId: string, now: number, kinds: readonly string[]): Promise<Scenario | undefined>;
  /**
   * Records that `instanceId` still runs the scenario, with its progress. Undefined when the
   * instance no longer holds the claim: stop and write nothing.
   */
  heartbeatScenario(id: string, instanceId: string, now: number, progress: number, message?: string): Promise<ScenarioHeartbeat | undefined>;
  /**
   * Cancels a queued scenario at once (status cancelled) or flags a running one for its instance.
   * Returns the scenario as it is afterwards; undefined when there is none.
   */
  requestScenarioCancel(id: string, now: number): Promise<Scenario | undefined>;
  /**
   * Marks failed every running scenario whose last heartbeat is older than `staleBefore`
   * ("interrupted: instance X stopped") and drops its partial files; returns them.
   */
  expireScenarios(staleBefore: number, now: number): Promise<Scenario[]>;
  /** Stores one result file from its parts (replacing a file of that name); returns its size. */
  putScenarioFile(id: string, name: string, parts: AsyncIterable<Uint8Array>): Promise<number>;
  getScenarioFile(id: string, name: string): Promise<StoredScenarioFile | undefined>;
  /** Drops every result file of a scenario (a failed upload's leftovers). */
  deleteScenarioFiles(id: string): Promise<void>;
}
