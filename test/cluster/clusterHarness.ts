/**
 * A small deployment for the cluster tests: Debian's PostgreSQL and Mosquitto started by the
 * test, the tiny twin, and `citytwin serve` instances as real processes sharing the broker, the
 * database and the secrets — as docs/deployment.md describes, with the API-only flag so no client
 * bundle is needed unless a browser test asks for it. Skipped where PostgreSQL or Mosquitto is not
 * installed.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { POSTGRES_AVAILABLE, startTestPostgres, type TestPostgres } from '../support/postgres';
import { MOSQUITTO_AVAILABLE, startTestMosquitto, type TestMosquitto } from '../support/mosquitto';
import { startCliServer, type CliServer } from '../support/cliServer';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';
import { LiveClient, waitFor } from '../server/helpers';

export const CLUSTER_TESTS_CAN_RUN = POSTGRES_AVAILABLE && MOSQUITTO_AVAILABLE;

export interface DeploymentOptions {
  /** Instances serve the client bundle too (browser tests); it is built first when out of date. */
  client?: boolean;
  /** Mosquitto logs every packet to `Deployment.brokerLog`, for tests that count acknowledgements. */
  brokerLog?: boolean;
}

export interface InstanceOptions {
  /** A fixed HTTP port, so a restarted instance answers where its browsers were connected. */
  port?: number;
}

export interface Deployment {
  broker: TestMosquitto;
  postgres: TestPostgres;
  twin: TinyTwin;
  databaseUrl: string;
  /** Mosquitto's packet log (`log_type all`), when asked for. */
  brokerLog?: string;
  /** Starts (or restarts, with its state folder and port) an instance. */
  start(instanceId: string, dataDir?: string, options?: InstanceOptions): Promise<CliServer>;
  remove(): Promise<void>;
}

export async function startDeployment(database: string, options: DeploymentOptions = {}): Promise<Deployment> {
  const brokerLog = options.brokerLog ? path.join(tmpdir(), `citytwin-mosquitto-${randomBytes(6).toString('hex')}.log`) : undefined;
  const logConfig = brokerLog ? ['allow_anonymous true', `log_dest file ${brokerLog}`, 'log_type all'] : undefined;
  const broker = await startTestMosquitto({ persistence: true, config: logConfig });
  const postgres = await startTestPostgres();
  const databaseUrl = await postgres.createDatabase(database);
  const twin = await writeTinyTwin({ poles: 6 });
  const env = {
    MQTT_URL: broker.url,
    DATABASE_URL: databaseUrl,
    CITYTWIN_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
  };
  const deviceSecret = randomBytes(24).toString('hex');
  const running: CliServer[] = [];
  return {
    broker,
    postgres,
    twin,
    databaseUrl,
    brokerLog,
    start: async (instanceId, dataDir, instance = {}) => {
      const args = ['--twin', twin.dir, '--no-simulator', '--instance', instanceId];
      if (!options.client) args.push('--no-client');
      // The CLI takes the last --port given, after the harness's own `--port 0`.
      if (instance.port !== undefined) args.push('--port', String(instance.port));
      // Building the client bundle, when its sources changed, takes minutes on a loaded machine.
      const server = await startCliServer(args, options.client ? 240_000 : 60_000, { env, deviceSecret, dataDir });
      running.push(server);
      return {
        ...server,
        // A crashed process needs no stop at the end (stop() would wait for an exit already past).
        kill: async () => {
          await server.kill();
          running.splice(running.indexOf(server), 1);
        },
      };
    },
    remove: async () => {
      await Promise.all(running.map((s) => s.stop()));
      await broker.remove();
      await postgres.stop();
      await twin.cleanup();
      if (brokerLog) rmSync(brokerLog, { force: true });
    },
  };
}

export interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test answers are checked field by field
}

export async function call(baseUrl: string, method: string, url: string, opts: { token?: string; body?: unknown; key?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.key) headers['idempotency-key'] = opts.key;
  const res = await fetch(baseUrl + url, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export async function login(baseUrl: string, username: string): Promise<string> {
  const answer = await call(baseUrl, 'POST', '/api/auth/login', { body: { username, password: username.startsWith('handler-') ? 'handler-demo' : `${username}-demo` } });
  if (answer.status !== 200) throw new Error(`login ${username}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.token as string;
}

/** A browser's live socket, logged in so it receives case events. */
export async function watch(baseUrl: string, token: string): Promise<LiveClient> {
  const client = await LiveClient.connect(baseUrl);
  client.socket.send(JSON.stringify({ type: 'auth', token }));
  return client;
}

export async function health(baseUrl: string): Promise<Answer['body']> {
  return (await call(baseUrl, 'GET', '/api/health')).body;
}

/** Waits until every instance counts `n` accepted device messages in the cluster. */
export async function allCount(urls: readonly string[], n: number, timeoutMs = 10_000): Promise<void> {
  await waitFor(async () => {
    for (const url of urls) if ((await health(url)).mqtt.messagesAccepted !== n) return false;
    return true;
  }, timeoutMs, `every instance to count ${n} device messages`);
}

export { WebSocket };
