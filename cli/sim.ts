/**
 * `citytwin sim <kind> …`: the simulations from the command line. Each kind registers one entry
 * (its usage text and command function) in SIM_COMMANDS.
 */
import { UsageError } from './args';
import type { Log } from './ensureBuilt';
import type { SimCommand } from './simCommand';
import { drainageSimCommand } from './simDrainage';
import { floodSimCommand } from './simFlood';
import { greenwaveSimCommand } from './simGreenwave';
import { trafficSimCommand } from './simTraffic';

export const SIM_COMMANDS: Record<string, SimCommand> = {
  drainage: drainageSimCommand,
  flood: floodSimCommand,
  greenwave: greenwaveSimCommand,
  traffic: trafficSimCommand,
};

export function simUsage(): string {
  const kinds = Object.values(SIM_COMMANDS);
  if (kinds.length === 0) return 'citytwin sim <kind> …   (no simulations are registered)';
  return kinds.map((k) => k.usage).join('\n\n');
}

export async function simCommand(argv: string[], log: Log): Promise<void> {
  const [kind, ...rest] = argv;
  const command = kind ? SIM_COMMANDS[kind] : undefined;
  if (!command) {
    const known = Object.keys(SIM_COMMANDS).join(', ');
    throw new UsageError(`${kind ? `unknown simulation "${kind}"` : 'missing the simulation kind'}; choose from: ${known}\n\n${simUsage()}`);
  }
  await command.run(rest, log);
}
