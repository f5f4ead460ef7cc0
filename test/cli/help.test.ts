/**
 * Every `citytwin` command and subcommand answers `--help` (and `citytwin help <command>`) with
 * its own usage and options — not an "Unknown option" error, and not every command's text.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { BROKER_CONFIG_USAGE } from '../../cli/brokerConfig';
import { DEMO_USAGE } from '../../cli/demo';
import { COMMANDS, OVERVIEW } from '../../cli/help';
import { main } from '../../cli/index';
import { SERVE_USAGE } from '../../cli/serve';
import { SIM_COMMANDS } from '../../cli/sim';
import { TILES_USAGE } from '../../cli/tiles';
import { REPO_ROOT } from '../support/cliServer';

async function citytwin(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(parts.map(String).join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void err.push(parts.map(String).join(' ')));
  try {
    const code = await main(args);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** Each command path, its usage, options it must list and the first line of another command's usage it must not print. */
const CASES: Array<{ path: string[]; usage: string; options: string[] }> = [
  { path: ['serve'], usage: SERVE_USAGE, options: ['--twin', '--tileset', '--port', '--mqtt-url', '--no-simulator'] },
  { path: ['tiles', 'build'], usage: TILES_USAGE, options: ['--out', '--buildings', '--dem', '--components', '--crs', '--workers'] },
  { path: ['demo', 'generate'], usage: DEMO_USAGE, options: ['--seed', '--out'] },
  { path: ['broker-config'], usage: BROKER_CONFIG_USAGE, options: ['--out', '--twin', '--service-user', '--broker-dir'] },
  ...Object.entries(SIM_COMMANDS).map(([kind, command]) => ({ path: ['sim', kind], usage: command.usage, options: ['--out'] })),
];
const FIRST_LINES = CASES.map((c) => c.usage.split('\n')[0]!);

describe('citytwin --help', () => {
  it('covers every command', () => {
    expect(new Set(CASES.map((c) => c.path[0]))).toEqual(new Set(COMMANDS));
  });

  for (const { path: words, usage, options } of CASES) {
    it(`${words.join(' ')} --help and help ${words.join(' ')} print that command's usage only`, async () => {
      for (const args of [[...words, '--help'], [...words, '-h'], ['help', ...words], [...words, '--out', 'x', '--help']]) {
        const { code, out, err } = await citytwin(...args);
        expect(err, args.join(' ')).toBe('');
        expect(code, args.join(' ')).toBe(0);
        expect(out).toBe(usage);
        for (const option of options) expect(out).toContain(option);
        for (const other of FIRST_LINES.filter((line) => line !== usage.split('\n')[0])) expect(out).not.toContain(other);
      }
    });
  }

  it('help for a command with subcommands alone prints its usage; `citytwin help` lists the commands', async () => {
    expect((await citytwin('help', 'tiles')).out).toBe(TILES_USAGE);
    expect((await citytwin('tiles', '--help')).out).toBe(TILES_USAGE);
    const sim = (await citytwin('sim', '--help')).out;
    for (const command of Object.values(SIM_COMMANDS)) expect(sim).toContain(command.usage);
    const overview = await citytwin('help');
    expect(overview.out).toBe(OVERVIEW);
    expect(overview.out).not.toContain(SERVE_USAGE);
    expect((await citytwin()).out).toBe(OVERVIEW);
  });

  it('unknown commands in help are usage errors naming the word', async () => {
    expect(await citytwin('help', 'nope')).toMatchObject({ code: 2, err: expect.stringContaining('unknown command "nope"') as string });
    expect(await citytwin('tiles', 'make', '--help')).toMatchObject({ code: 2, err: expect.stringContaining('unknown tiles command "make"') as string });
  });

  it('the installed launcher answers `tiles build --help` (the reported failure)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'bin', 'citytwin.mjs'), 'tiles', 'build', '--help'], { cwd: REPO_ROOT, timeout: 30_000 });
    expect(stdout.trim()).toBe(TILES_USAGE);
  });
});
