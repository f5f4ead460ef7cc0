/**
 * The `citytwin` command: one entry for the server, the tiler and the demo generator (and, as
 * they arrive, the simulations). Usage errors exit with 2 and a message naming what is wrong.
 */
import { asksForHelp, helpFor } from './help';
import { UsageError } from './args';

const log = (line: string): void => console.log(line);

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    // `citytwin <command> [subcommand] --help`: that command's own options, nothing run.
    if (command !== undefined && command !== 'help' && asksForHelp(rest)) {
      log(helpFor(argv));
      return 0;
    }
    // Each command loads its own modules only: a server start does not pay for the tiler's.
    switch (command) {
      case 'serve':
        await (await import('./serve')).serveCommand(rest, log);
        return 0;
      case 'tiles':
        await (await import('./tiles')).tilesCommand(rest, log);
        return 0;
      case 'demo':
        await (await import('./demo')).demoCommand(rest, log);
        return 0;
      case 'sim':
        await (await import('./sim')).simCommand(rest, log);
        return 0;
      case 'broker-config':
        await (await import('./brokerConfig')).brokerConfigCommand(rest, log);
        return 0;
      case 'help':
        log(helpFor(rest));
        return 0;
      case undefined:
      case '--help':
      case '-h':
        log(helpFor([]));
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
