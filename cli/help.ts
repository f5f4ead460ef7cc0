/**
 * `citytwin help [command [subcommand]]` and `citytwin <command> [subcommand] --help`: each
 * command's own usage text, from the table below; `citytwin help` alone lists the commands.
 */
import { BROKER_CONFIG_USAGE } from './brokerConfig';
import { DEMO_USAGE } from './demo';
import { SERVE_USAGE } from './serve';
import { SIM_COMMANDS, simUsage } from './sim';
import { TILES_USAGE } from './tiles';
import { UsageError } from './args';

export const OVERVIEW = `citytwin — a digital twin for city operation centres

Usage:
  citytwin serve [options]                 serve the twin (the demo city by default)
  citytwin tiles build [<source>] --out <dir> [--buildings f] [--dem f] [--components f]
                                           build a twin package from a city source or layer files
  citytwin demo generate [--seed n]        write the demo city source
  citytwin sim <flood|traffic|greenwave>   run a simulation
  citytwin broker-config --out <dir>       write an external Mosquitto's passwords, ACL and config
  citytwin help [command]                  show help

Each command's options: \`citytwin help <command>\` or \`citytwin <command> --help\`.`;

interface HelpEntry {
  usage: () => string;
  /** Subcommands with their own usage; a command without them ignores what follows it. */
  subcommands?: () => Record<string, string>;
}

const HELP: Record<string, HelpEntry> = {
  serve: { usage: () => SERVE_USAGE },
  tiles: { usage: () => TILES_USAGE, subcommands: () => ({ build: TILES_USAGE }) },
  demo: { usage: () => DEMO_USAGE, subcommands: () => ({ generate: DEMO_USAGE }) },
  sim: {
    usage: simUsage,
    subcommands: () => Object.fromEntries(Object.entries(SIM_COMMANDS).map(([kind, command]) => [kind, command.usage])),
  },
  'broker-config': { usage: () => BROKER_CONFIG_USAGE },
};

export const COMMANDS: readonly string[] = Object.keys(HELP);

/** True when the arguments ask for help (`--help` or `-h` anywhere). */
export function asksForHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/**
 * The help for a command path such as `['tiles', 'build']`: the overview for none, the
 * subcommand's usage when it has one, else the command's. Unknown names are usage errors.
 */
export function helpFor(path: readonly string[]): string {
  const words = path.filter((w) => w !== '--help' && w !== '-h');
  const [command, sub] = words;
  if (command === undefined) return OVERVIEW;
  const entry = HELP[command];
  if (!entry) throw new UsageError(`unknown command "${command}"; commands: ${COMMANDS.join(', ')}`);
  const subcommands = entry.subcommands?.();
  if (!subcommands || sub === undefined || sub.startsWith('-')) return entry.usage();
  const usage = subcommands[sub];
  if (usage === undefined) throw new UsageError(`unknown ${command} command "${sub}"; choose from: ${Object.keys(subcommands).join(', ')}`);
  return usage;
}
