/**
 * A small deployment for the cluster tests: Debian's PostgreSQL and Mosquitto started by the
 * test, the tiny twin, and `citytwin serve` instances as real processes sharing the broker, the
 * database and the secrets — as docs/deployment.md describes, with the API-only flag so no client
 * bundle is needed. Skipped where PostgreSQL or Mosquitto is not installed.
 */
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { POSTGRES_AVAILABLE, startTestPostgres, type TestPostgres } from '../support/postgres';
import { MOSQUITTO_AVAILABLE, startTestMosquitto, type TestMosquitto } from '../support/mosquitto';
import { startCliServer, type CliServer } from '../support/cliServer';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';
import { LiveClient, waitFor } from '../server/helpers';

export const CLUSTER_TESTS_CAN_RUN = POSTGRES_AVAILABLE && MOSQUITTO_AVAILABLE;

export interface Deployment {
  broker: TestMosquitto;
  postgres: TestPostgres;
  twin: TinyTwin;
  databaseUrl: string;
  /** Starts (or restarts, with its state folder) an instance. */
  start(instanceId: string, dataDir?: string): Promise<CliServer>;
  remove(): Promise<void>;
}

export async function startDeployment(database: string): Promise<Deployment> {
  const broker = await startTestMosquitto({ persistence: true });
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
    start: async (instanceId, dataDir) => {
      const server = await startCliServer(['--twin', twin.dir, '--no-simulator', '--no-client', '--instance', instanceId], 60_000, { env, deviceSecret, dataDir });
      running.push(server);
      return server;
    },
    remove: async () => {
      await Promise.all(running.map((s) => s.stop()));
      await broker.remove();
      await postgres.stop();
      await twin.cleanup();
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
