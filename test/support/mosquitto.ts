/**
 * A throwaway Mosquitto (Debian's) for tests: a config in a temporary folder, a free port on
 * 127.0.0.1, and stop / kill / start so fault tests can take the broker away and bring it back
 * on the same port. Extra config lines (password_file, acl_file, persistence) come from the test.
 *
 * Without the binary the tests that need it skip with a warning (`apt-get install mosquitto`);
 * in CI its absence fails the run (test/support/services.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serviceAvailable } from './services';

export const MOSQUITTO_BIN = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto'].find((p) => existsSync(p));
export const MOSQUITTO_AVAILABLE = serviceAvailable('mosquitto', MOSQUITTO_BIN !== undefined, 'apt-get install mosquitto');

export interface TestMosquittoOptions {
  /** Lines appended to the config (e.g. `password_file …`, `acl_file …`). Default: anonymous allowed. */
  config?: string[];
  /** Keep sessions and queued messages on disk across a restart (`persistence true`). */
  persistence?: boolean;
}

export interface TestMosquitto {
  readonly url: string;
  readonly port: number;
  /** The temporary folder (config, persistence); removed by `remove()`. */
  readonly dir: string;
  /** Starts the broker (again) on the same port and waits until it accepts connections. */
  start(): Promise<void>;
  /** SIGTERM, as an operator's restart does: Mosquitto saves its persistence file first. */
  stop(): Promise<void>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
  /** Stops it and deletes the folder. */
  remove(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startTestMosquitto(opts: TestMosquittoOptions = {}): Promise<TestMosquitto> {
  if (!MOSQUITTO_BIN) throw new Error('mosquitto is not installed');
  const dir = mkdtempSync(path.join(tmpdir(), 'citytwin-mosquitto-'));
  const port = await freePort();
  const conf = path.join(dir, 'mosquitto.conf');
  const lines = [
    `listener ${port} 127.0.0.1`,
    // Started as root, Mosquitto drops to its own user, which could not write the 0700 temp folder.
    ...(process.getuid?.() === 0 ? ['user root'] : []),
    ...(opts.config ?? ['allow_anonymous true']),
    opts.persistence ? `persistence true\npersistence_location ${dir}/\nautosave_interval 1` : 'persistence false',
    // Enough in flight per client for bursts without the broker dropping QoS 1 messages.
    'max_queued_messages 100000',
  ];
  writeFileSync(conf, lines.join('\n') + '\n');
  let child: ChildProcess | undefined;

  const waitExit = (proc: ChildProcess): Promise<void> =>
    proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise((resolve) => proc.once('exit', () => resolve()));

  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc) return;
    proc.kill(signal);
    await waitExit(proc);
  };

  const start = async (): Promise<void> => {
    if (child) return;
    const proc = spawn(MOSQUITTO_BIN, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    child = proc;
    const deadline = Date.now() + 10_000;
    while (!(await accepting(port))) {
      if (proc.exitCode !== null) throw new Error(`mosquitto exited with ${proc.exitCode}: ${stderr}`);
      if (Date.now() > deadline) throw new Error(`mosquitto did not listen on ${port} within 10 s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  await start();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    dir,
    start,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    remove: async () => {
      await end('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
