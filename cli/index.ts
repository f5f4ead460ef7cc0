/**
 * The `citytwin` command: one entry for the server, the tiler and the demo generator (and, as
 * they arrive, the simulations). Usage errors exit with 2 and a message naming what is wrong.
 */
import { brokerConfigCommand, BROKER_CONFIG_USAGE } from './brokerConfig';
import { demoCommand, DEMO_USAGE } from './demo';
import { serveCommand, SERVE_USAGE } from './serve';
import { simCommand, simUsage } from './sim';
import { tilesCommand, TILES_USAGE } from './tiles';
import { UsageError } from './args';

const USAGE = `citytwin — a digital twin for city operation centres

Usage:
  citytwin serve [options]                 serve the twin (the demo city by default)
  citytwin tiles build [<source>] --out <dir> [--buildings f] [--dem f] [--components f]
                                           build a twin package from a city source or layer files
  citytwin demo generate [--seed n]        write the demo city source
  citytwin sim <flood|traffic|greenwave>   run a simulation
  citytwin broker-config --out <dir>       write an external Mosquitto's passwords, ACL and config
  citytwin help [command]                  show help

${SERVE_USAGE}

${TILES_USAGE}

${DEMO_USAGE}

${simUsage()}

${BROKER_CONFIG_USAGE}`;

const log = (line: string): void => console.log(line);

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        await serveCommand(rest, log);
        return 0;
      case 'tiles':
        await tilesCommand(rest, log);
        return 0;
      case 'demo':
        await demoCommand(rest, log);
        return 0;
      case 'sim':
        await simCommand(rest, log);
        return 0;
      case 'broker-config':
        await brokerConfigCommand(rest, log);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        log(USAGE);
        return 0;
      default:
        throw new UsageError(`unknown command "${command}"; try \`citytwin help\``);
    }
  } catch (err) {
    if (err instanceof UsageError || isParseArgsError(err)) {
      console.error(`citytwin: ${(err as Error).message}`);
      return 2;
    }
    console.error(`citytwin: ${(err as Error).message}`);
    if (process.env.DEBUG) console.error(err);
    return 1;
  }
}

/** util.parseArgs errors (unknown option, missing value) are usage errors too. */
function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
