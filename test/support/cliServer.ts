/**
 * Runs `citytwin serve` as a user would (the real CLI in a child process) and reads the URLs it
 * prints. Ports are picked by the OS, so tests never collide with a running demo.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliServer {
  httpUrl: string;
  mqttUrl: string;
  output: () => string;
  stop(): Promise<void>;
}

export async function startCliServer(args: string[] = [], timeoutMs = 240_000): Promise<CliServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(REPO_ROOT, 'bin', 'citytwin.mjs'), 'serve', '--host', '127.0.0.1', '--port', '0', '--mqtt-port', '0', ...args],
    { cwd: REPO_ROOT, env: { ...process.env, PORT: '', MQTT_PORT: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
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
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`citytwin serve exited with ${code}:\n${output}`));
    });
  });
  return {
    ...urls,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}
