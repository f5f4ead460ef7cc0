/**
 * The deployment the scale benchmark measures, on loopback: one Mosquitto (anonymous, no
 * persistence, otherwise the queue and in-flight limits `citytwin broker-config` writes), one
 * PostgreSQL, a synthetic twin with a terminal for every simulated device, and `citytwin serve`
 * instances as real processes in cluster mode (`--mqtt-url`), API only and simulator off. Each
 * configuration gets a fresh database and fresh instances; broker and database server stay.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startCliServer, type CliServer } from '../test/support/cliServer';
import { MOSQUITTO_AVAILABLE, startTestMosquitto, type TestMosquitto } from '../test/support/mosquitto';
import { POSTGRES_AVAILABLE, startTestPostgres, type TestPostgres } from '../test/support/postgres';
import { writeTinyTwin, type TinyTwin } from '../test/fixtures/tinyTwin';
import { findProcess } from './scaleCpu';
import { sleep } from './support/stats';

/** Terminals per pole in the synthetic twin (one of each type). */
const TERMINALS_PER_POLE = 6;
const INSTANCE_START_MS = 120_000;
const MEMBERS_TIMEOUT_MS = 30_000;

/** Lines of `citytwin broker-config`'s mosquitto.conf that bear on throughput (server/devices/broker/mosquittoAuth.ts). */
const BROKER_CONFIG = ['allow_anonymous true', 'max_queued_bytes 67108864', 'max_inflight_messages 1000', 'set_tcp_nodelay true'];

/** The parts of GET /api/health the benchmark reads. */
export interface InstanceHealth {
  mqtt: { messagesAccepted: number; messagesRejected: number };
  instance: { id: string; members: string[]; accepted: number; rejected: number; duplicates: number };
}

export interface ScaleInstance {
  id: string;
  httpUrl: string;
  /** The server process, for its CPU time; undefined if it could not be found. */
  pid: number | undefined;
  server: CliServer;
}

export interface ScaleDeployment {
  mqttUrl: string;
  brokerPid: number | undefined;
  twin: TinyTwin;
  /** Starts `count` instances on a fresh database and waits until each sees all of them. */
  startInstances(count: number): Promise<ScaleInstance[]>;
  stopInstances(instances: readonly ScaleInstance[]): Promise<void>;
  remove(): Promise<void>;
}

export async function health(instance: ScaleInstance): Promise<InstanceHealth> {
  const res = await fetch(`${instance.httpUrl}/api/health`);
  if (!res.ok) throw new Error(`GET ${instance.httpUrl}/api/health: ${res.status}`);
  return (await res.json()) as InstanceHealth;
}

export async function startScaleDeployment(maxDevices: number): Promise<ScaleDeployment> {
  if (!MOSQUITTO_AVAILABLE) throw new Error('bench scale needs Mosquitto (apt-get install mosquitto)');
  if (!POSTGRES_AVAILABLE) throw new Error('bench scale needs PostgreSQL 15 (apt-get install postgresql)');
  let broker: TestMosquitto | undefined;
  let postgres: TestPostgres | undefined;
  let twin: TinyTwin | undefined;
  try {
    twin = await writeTinyTwin({ poles: Math.ceil(maxDevices / TERMINALS_PER_POLE) });
    broker = await startTestMosquitto({ config: BROKER_CONFIG });
    postgres = await startTestPostgres();
  } catch (err) {
    await broker?.remove();
    await postgres?.stop();
    await twin?.cleanup();
    throw err;
  }
  const env = { MQTT_URL: broker.url, CITYTWIN_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'warn' };
  const deviceSecret = randomBytes(24).toString('hex');
  const running = new Set<ScaleInstance>();
  let configuration = 0;

  const stopInstances = async (instances: readonly ScaleInstance[]): Promise<void> => {
    await Promise.all(instances.map((i) => i.server.stop()));
    for (const i of instances) running.delete(i);
  };

  return {
    mqttUrl: broker.url,
    brokerPid: findProcess(['-c', path.join(broker.dir, 'mosquitto.conf')]),
    twin,
    async startInstances(count) {
      configuration += 1;
      const databaseUrl = await postgres!.createDatabase(`bench_scale_${configuration}`);
      const ids = Array.from({ length: count }, (_, k) => `bench-scale-${configuration}${String.fromCharCode(97 + k)}`);
      const instances = await Promise.all(
        ids.map(async (id): Promise<ScaleInstance> => {
          const server = await startCliServer(['--twin', twin!.dir, '--no-simulator', '--no-client', '--instance', id], INSTANCE_START_MS, {
            env: { ...env, DATABASE_URL: databaseUrl },
            deviceSecret,
          });
          const instance = { id, httpUrl: server.httpUrl, pid: findProcess(['--instance', id]), server };
          running.add(instance);
          return instance;
        }),
      );
      const deadline = Date.now() + MEMBERS_TIMEOUT_MS;
      for (;;) {
        const seen = await Promise.all(instances.map(async (i) => (await health(i)).instance.members.length));
        if (seen.every((n) => n === count)) return instances;
        if (Date.now() > deadline) {
          await stopInstances(instances);
          throw new Error(`instances did not see each other within ${MEMBERS_TIMEOUT_MS} ms (members seen: ${seen.join(', ')})`);
        }
        await sleep(200);
      }
    },
    stopInstances,
    async remove() {
      await stopInstances([...running]);
      await broker!.remove();
      await postgres!.stop();
      await twin!.cleanup();
    },
  };
}
