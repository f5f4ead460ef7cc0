/** What each `citytwin sim <kind>` registers in cli/sim.ts: its usage text and its command. */
import type { Log } from './ensureBuilt';

export interface SimCommand {
  usage: string;
  run(argv: string[], log: Log): Promise<void>;
}
