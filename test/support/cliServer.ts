/**
 * Runs `citytwin serve` as a user would (the real CLI in a child process) and reads the URLs it
 * prints. Ports are picked by the OS and the state folder is a fresh temporary one, so tests never
 * collide with a running demo or each other. The device secret is fixed per server, so a test can
 * log in to the broker as any device, as a provisioned device would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEVICE_SECRET_ENV, DeviceCredentials, type Credential } from '../../server/devices/broker/credentials';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliServer {
  httpUrl: string;
  mqttUrl: string;
  /** The server's state folder (database, scenarios), removed by stop(). */
  dataDir: string;
  /** MQTT login of a terminal of the served twin. */
  deviceCredential(terminalId: string): Credential;
  /** MQTT login of a service account (the video-AI system). */
  accountCredential(username: 'citytwin-video-ai'): Credential;
  output: () => string;
  /** SIGTERM (a clean shutdown), then removes the state folder unless it was given. */
  stop(): Promise<void>;
  /** SIGKILL: a crash. The state folder stays. */
  kill(): Promise<void>;
}

export interface CliServerOptions {
  /** Extra environment (MQTT_URL, DATABASE_URL, CITYTWIN_SECRET, …); the rest is cleared. */
  env?: Record<string, string>;
  /** Reuse a state folder (a restart); it is then left in place by stop(). */
  dataDir?: string;
  /** Device secret shared by the instances of one deployment; default a fresh one. */
  deviceSecret?: string;
}

export async function startCliServer(args: string[] = [], timeoutMs = 240_000, opts: CliServerOptions = {}): Promise<CliServer> {
  const ownsDataDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'citytwin-cli-state-'));
  const deviceSecret = opts.deviceSecret ?? randomBytes(24).toString('hex');
  const credentials = new DeviceCredentials(deviceSecret);
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(REPO_ROOT, 'bin', 'citytwin.mjs'), 'serve', '--host', '127.0.0.1', '--port', '0', '--mqtt-port', '0', '--data', dataDir, ...args],
    {
      cwd: REPO_ROOT,
      // The least password cost: seeding the demo users at the default costs 1.6 s of each start.
      env: { ...process.env, PORT: '', MQTT_PORT: '', MQTT_URL: '', DATABASE_URL: '', CITYTWIN_INSTANCE: '', CITYTWIN_PASSWORD_COST: '10', [DEVICE_SECRET_ENV]: deviceSecret, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  let started = (): void => undefined;
  const urls = await new Promise<{ httpUrl: string; mqttUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`citytwin serve did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const http = /open\s+(http:\/\/\S+)/.exec(output);
      const mqtt = /MQTT\s+(mqtt:\/\/\S+)/.exec(output);
      if (http && mqtt) {
        clearTimeout(timer);
        resolve({ httpUrl: http[1]!.replace(/\/$/, ''), mqttUrl: mqtt[1]! });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', onEarlyExit);
    function onEarlyExit(code: number | null): void {
      clearTimeout(timer);
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
      reject(new Error(`citytwin serve exited with ${code}:\n${output}`));
    }
    // Once started, an exit (a test's kill()) leaves the state folder for a restart.
    started = () => child.off('exit', onEarlyExit);
  });
  started();
  const removeState = (): void => {
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  return {
    ...urls,
    dataDir,
    deviceCredential: (terminalId) => credentials.device(terminalId),
    accountCredential: (username) => credentials.account(username),
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          removeState();
          return resolve();
        }
        child.once('exit', () => {
          removeState();
          resolve();
        });
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
