/**
 * Device credentials and topic ACLs on an external broker: `citytwin broker-config` writes the
 * password file, ACL and mosquitto.conf for a tiny twin, and Debian's real Mosquitto runs with
 * them. Every rule of domain/devices.ts is tried over MQTT: logins, a device's own topics, another
 * device's, the video-AI account's cameras, the service account's shared subscription, and the
 * server with its simulated fleet logging in with the derived passwords.
 *
 * The generator's pure checks (hash format against mosquitto_passwd, refusals) run without the
 * broker; the broker checks skip with a warning when mosquitto is not installed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitTopic } from '../../domain/emergency';
import { brokerConfigCommand, ACL_FILE, CONF_FILE, PASSWORD_FILE } from '../../cli/brokerConfig';
import { UsageError } from '../../cli/args';
import { VIDEO_AI_USERNAME } from '../../domain/devices';
import { ackTopic, commandTopic, terminalTopic } from '../../domain/topics';
import { DeviceCredentials } from '../../server/devices/broker/credentials';
import {
  DEVICE_HASH_ITERATIONS,
  mosquittoAuthFiles,
  mosquittoPasswordLine,
  parseMosquittoPasswordLine,
  SERVICE_HASH_ITERATIONS,
  verifyMosquittoPassword,
} from '../../server/devices/broker/mosquittoAuth';
import { startServer, type RunningServer } from '../../server/index';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';
import { MOSQUITTO_AVAILABLE, startTestMosquitto, type TestMosquitto } from '../support/mosquitto';
import { telemetryJson, waitFor } from '../server/helpers';

const SECRET = 'mosquitto-acl-test-secret-0123';
const SERVICE = { username: 'citytwin-ops', password: 'service-password-for-tests' };
const credentials = new DeviceCredentials(SECRET);
const MOSQUITTO_PASSWD = ['/usr/bin/mosquitto_passwd', '/usr/local/bin/mosquitto_passwd'].find((p) => existsSync(p));

const TELEMETRY_ALL = 'citytwin/v1/terminals/+/telemetry';
const EVENTS_ALL = 'citytwin/v1/terminals/+/events';

describe('the Mosquitto password file and ACL generator', () => {
  const terminals = [
    { id: 'P00001-lamp', type: 'lamp' as const },
    { id: 'P00001-camera', type: 'camera' as const },
    { id: 'P00001-traffic-camera', type: 'traffic-camera' as const },
  ];

  it('writes $7$ PBKDF2-SHA512 lines that verify against the derived passwords', () => {
    const files = mosquittoAuthFiles({ terminals, credentials, service: SERVICE });
    const lines = files.passwordFile.trimEnd().split('\n');
    expect(lines.map((l) => l.split(':')[0])).toEqual([SERVICE.username, VIDEO_AI_USERNAME, ...terminals.map((t) => t.id)]);
    for (const line of lines) expect(line).toMatch(/^[^:]+:\$7\$\d+\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$/);
    const [service, videoAi, lamp] = lines as [string, string, string];
    expect(parseMosquittoPasswordLine(service).iterations).toBe(SERVICE_HASH_ITERATIONS);
    expect(parseMosquittoPasswordLine(lamp).iterations).toBe(DEVICE_HASH_ITERATIONS);
    expect(verifyMosquittoPassword(service, SERVICE.password)).toBe(true);
    expect(verifyMosquittoPassword(videoAi, credentials.account(VIDEO_AI_USERNAME).password)).toBe(true);
    expect(verifyMosquittoPassword(lamp, credentials.device('P00001-lamp').password)).toBe(true);
    expect(verifyMosquittoPassword(lamp, credentials.device('P00001-camera').password)).toBe(false);
    expect(files.accounts).toEqual({ devices: 3, cameras: 2 });
  });

  it('salts every line afresh, and the same salt gives the same line', () => {
    const fixed = { randomBytes: (n: number) => Buffer.alloc(n, 7) };
    expect(mosquittoPasswordLine('a', 'pw', 101, fixed)).toBe(mosquittoPasswordLine('a', 'pw', 101, fixed));
    expect(mosquittoPasswordLine('a', 'pw', 101)).not.toBe(mosquittoPasswordLine('a', 'pw', 101));
  });

  it.skipIf(!MOSQUITTO_PASSWD)('reads what mosquitto_passwd writes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'citytwin-passwd-'));
    try {
      const file = path.join(dir, 'pw');
      execFileSync(MOSQUITTO_PASSWD!, ['-c', '-b', file, 'P00001-lamp', 'the-password']);
      const line = readFileSync(file, 'utf8').trim();
      expect(parseMosquittoPasswordLine(line)).toMatchObject({ username: 'P00001-lamp' });
      expect(verifyMosquittoPassword(line, 'the-password')).toBe(true);
      expect(verifyMosquittoPassword(line, 'the-passworD')).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists the camera terminals for the video-AI account and keeps the device rules as %u patterns', () => {
    const acl = mosquittoAuthFiles({ terminals, credentials, service: SERVICE }).aclFile;
    const rules = acl.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(rules).toEqual([
      `user ${SERVICE.username}`,
      'topic readwrite citytwin/v1/#',
      `user ${VIDEO_AI_USERNAME}`,
      `topic deny citytwin/v1/terminals/${VIDEO_AI_USERNAME}/#`,
      'topic write citytwin/v1/terminals/P00001-camera/events',
      'topic write citytwin/v1/terminals/P00001-traffic-camera/events',
      'pattern write citytwin/v1/terminals/%u/telemetry',
      'pattern write citytwin/v1/terminals/%u/status',
      'pattern write citytwin/v1/terminals/%u/events',
      'pattern write citytwin/v1/terminals/%u/acks',
      'pattern read citytwin/v1/terminals/%u/commands',
      'pattern write citytwin/v1/units/%u/position',
      'pattern write citytwin/v1/units/%u/status',
      'pattern read citytwin/v1/units/%u/orders',
    ]);
  });

  it('refuses clashing names, weak service passwords and unusable usernames, naming the culprit', () => {
    const make = (ts: typeof terminals, service = SERVICE) => () => mosquittoAuthFiles({ terminals: ts, credentials, service });
    expect(make([...terminals, terminals[0]!])).toThrow(/terminal \[3\]: "P00001-lamp" is already used by another terminal/);
    expect(make([{ id: SERVICE.username, type: 'lamp' }])).toThrow(/already used by an account name/);
    expect(make(terminals, { username: SERVICE.username, password: 'short' })).toThrow(/at least 16 characters, got 5/);
    expect(make(terminals, { username: 'ops:root', password: SERVICE.password })).toThrow(/service username "ops:root"/);
    expect(make(terminals, { username: VIDEO_AI_USERNAME, password: SERVICE.password })).toThrow(/cannot be the video-AI account/);
  });
});

describe('citytwin broker-config arguments', () => {
  let twin: TinyTwin;
  let out: string;
  const env = { CITYTWIN_DEVICE_SECRET: SECRET, MQTT_PASSWORD: SERVICE.password };
  const run = (args: string[], e: NodeJS.ProcessEnv = env) => brokerConfigCommand(args, () => undefined, e);

  beforeAll(async () => {
    twin = await writeTinyTwin({ poles: 2 });
    out = mkdtempSync(path.join(tmpdir(), 'citytwin-broker-config-'));
  });
  afterAll(async () => {
    await twin?.cleanup();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('refuses what is missing or wrong with a message naming it', async () => {
    const base = ['--out', out, '--twin', twin.dir];
    await expect(run(['--twin', twin.dir])).rejects.toThrow(/--out <dir> is required/);
    await expect(run(base, { CITYTWIN_DEVICE_SECRET: SECRET })).rejects.toThrow(/MQTT_PASSWORD is not set: the service account "citytwin-service"/);
    await expect(run(base, { ...env, MQTT_PASSWORD: 'short' })).rejects.toThrow(/^MQTT_PASSWORD: the service password must be at least 16/);
    await expect(run([...base, '--port', '0'])).rejects.toThrow(/--port must be a port number 1–65535/);
    await expect(run([...base, '--port', 'x'])).rejects.toThrow(/--port must be a port number/);
    await expect(run([...base, '--service-user', 'a b'])).rejects.toThrow(/^--service-user: the service username "a b"/);
    await expect(run(base, { ...env, MQTT_USERNAME: 'a/b' })).rejects.toThrow(/^MQTT_USERNAME: /);
    await expect(run([...base, '--broker-dir', 'etc/mosquitto'])).rejects.toThrow(/--broker-dir must be an absolute path/);
    await expect(run([...base, '--persistence-dir', '/var/lib/my broker'])).rejects.toThrow(/--persistence-dir cannot contain spaces/);
    await expect(run([...base, '--seed', '3'])).rejects.toThrow(/--seed .* cannot go with --twin/);
    await expect(run(['--out', out, '--twin', out])).rejects.toThrow(/--twin .*: no twin.json there/);
    await expect(run(base, { MQTT_PASSWORD: SERVICE.password, CITYTWIN_DEVICE_SECRET: 'short' })).rejects.toThrow(/CITYTWIN_DEVICE_SECRET: .* at least 16/);
    await expect(run(['--out', out, '--bogus'])).rejects.toMatchObject({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
    await expect(run([...base, '--port', '0']).catch((e: unknown) => e)).resolves.toBeInstanceOf(UsageError);
  });

  it('writes the three files, the password file readable by its owner only', async () => {
    await run(['--out', out, '--twin', twin.dir, '--port', '1884', '--broker-dir', '/etc/mosquitto/citytwin']);
    expect(statSync(path.join(out, PASSWORD_FILE)).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(out, PASSWORD_FILE), 'utf8').trimEnd().split('\n')).toHaveLength(2 + twin.terminals.length);
    const conf = readFileSync(path.join(out, CONF_FILE), 'utf8');
    expect(conf).toContain('listener 1884\n');
    expect(conf).toContain('allow_anonymous false\n');
    expect(conf).toContain('password_file /etc/mosquitto/citytwin/citytwin.passwd\n');
    expect(conf).toContain('acl_file /etc/mosquitto/citytwin/citytwin.acl\n');
    expect(conf).toContain('max_packet_size 65536\n');
    expect(readFileSync(path.join(out, ACL_FILE), 'utf8')).toContain('user citytwin-service\n');
  });
});

describe.skipIf(!MOSQUITTO_AVAILABLE)('Mosquitto with the generated files', () => {
  let twin: TinyTwin;
  let out: string;
  let broker: TestMosquitto;
  let server: RunningServer | undefined;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    twin = await writeTinyTwin({ poles: 3, emergency: true });
    out = mkdtempSync(path.join(tmpdir(), 'citytwin-mosquitto-acl-'));
    await brokerConfigCommand(['--out', out, '--twin', twin.dir, '--persistence-dir', out], () => undefined, {
      CITYTWIN_DEVICE_SECRET: SECRET,
      MQTT_USERNAME: SERVICE.username,
      MQTT_PASSWORD: SERVICE.password,
    });
    // The generated configuration, less the listener: the test broker listens on a free port.
    const settings = readFileSync(path.join(out, CONF_FILE), 'utf8')
      .split('\n')
      .filter((line) => !/^(listener|per_listener_settings)\b/.test(line));
    // Under root the harness keeps Mosquitto root (`user root`), so it can read the 0600 files.
    broker = await startTestMosquitto({ config: settings });
  });

  afterAll(async () => {
    await server?.close();
    await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
    await broker?.remove();
    await twin?.cleanup();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  async function connect(options: IClientOptions): Promise<MqttClient> {
    const client = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0, connectTimeout: 5000, ...options }, false);
    clients.push(client);
    return client;
  }
  const asDevice = (id: string, extra: IClientOptions = {}) => connect({ clientId: `t-${id}`, ...credentials.device(id), ...extra });
  const asService = (clientId: string) => connect({ clientId, ...SERVICE });

  /** A service subscriber that records every message it receives, by topic. */
  async function listen(clientId: string, filters: string[]): Promise<Array<{ topic: string; payload: string }>> {
    const received: Array<{ topic: string; payload: string }> = [];
    const client = await asService(clientId);
    client.on('message', (topic, payload) => received.push({ topic, payload: String(payload) }));
    await client.subscribeAsync(filters, { qos: 1 });
    return received;
  }
  const arrived = (received: Array<{ topic: string; payload: string }>, topic: string, payload: string, what: string) =>
    waitFor(() => received.some((m) => m.topic === topic && m.payload === payload), 5000, what);

  it('lets a device in with its derived password; its telemetry reaches the service subscriber', async () => {
    const received = await listen('svc-telemetry', [TELEMETRY_ALL]);
    const lamp = await asDevice('P00001-lamp');
    const reading = telemetryJson({ on: true, powerW: 120 });
    await lamp.publishAsync(terminalTopic('P00001-lamp', 'telemetry'), reading, { qos: 1 });
    await arrived(received, terminalTopic('P00001-lamp', 'telemetry'), reading, 'the reading');
  });

  it('refuses a wrong password, another device\'s password and anonymous clients at CONNECT', async () => {
    const refusal = async (options: IClientOptions) => ((await connect(options).catch((e: unknown) => e)) as { code?: number }).code;
    // Mosquitto 2 answers 5 (not authorised) where the embedded broker says 4 (bad username or password).
    expect([4, 5]).toContain(await refusal({ clientId: 'w1', username: 'P00001-lamp', password: 'guess' }));
    expect([4, 5]).toContain(await refusal({ clientId: 'w2', username: 'P00001-lamp', password: credentials.device('P00002-lamp').password }));
    expect([4, 5]).toContain(await refusal({ clientId: 'w3', username: SERVICE.username, password: 'not-the-service-password' }));
    expect(await refusal({ clientId: 'anon' })).toBe(5);
  });

  it('never delivers what a device publishes under another id (MQTT 3.1.1 drops it, MQTT 5 answers 0x87)', async () => {
    const received = await listen('svc-forgery', [TELEMETRY_ALL]);
    const forged = telemetryJson({ depthCm: 80 });
    const intruder = await asDevice('P00002-cover-sensor');
    // 3.1.1 has no negative PUBACK: Mosquitto acknowledges and discards.
    await intruder.publishAsync(terminalTopic('P00002-water-level', 'telemetry'), forged, { qos: 1 });
    const intruder5 = await asDevice('P00003-cover-sensor', { protocolVersion: 5 });
    const err = (await intruder5.publishAsync(terminalTopic('P00002-water-level', 'telemetry'), forged, { qos: 1 }).catch((e: unknown) => e)) as { code?: number };
    expect(err.code).toBe(0x87);
    // Published after the forgeries on the same subscription: once it is here, they would be too.
    const honest = telemetryJson({ open: false, tiltDeg: 0 });
    await intruder.publishAsync(terminalTopic('P00002-cover-sensor', 'telemetry'), honest, { qos: 1 });
    await intruder5.publishAsync(terminalTopic('P00003-cover-sensor', 'telemetry'), honest, { qos: 1 });
    await arrived(received, terminalTopic('P00002-cover-sensor', 'telemetry'), honest, 'the 3.1.1 device\'s own reading');
    await arrived(received, terminalTopic('P00003-cover-sensor', 'telemetry'), honest, 'the MQTT 5 device\'s own reading');
    expect(received.filter((m) => m.topic === terminalTopic('P00002-water-level', 'telemetry'))).toEqual([]);
  });

  it("lets an emergency unit report its own position only (another unit's: MQTT 5 answers 0x87, nothing delivered)", async () => {
    const received = await listen('svc-units', ['citytwin/v1/units/+/position']);
    const unit = await connect({ clientId: 'RT-1', ...credentials.unit('RT-1'), protocolVersion: 5 });
    const err = (await unit.publishAsync(unitTopic('RT-2', 'position'), '{"v":1,"forged":true}', { qos: 1 }).catch((e: unknown) => e)) as { code?: number };
    expect(err.code).toBe(0x87);
    const own = JSON.stringify({ v: 1, ts: Date.now(), lon: 113.62, lat: 22.78 });
    await unit.publishAsync(unitTopic('RT-1', 'position'), own, { qos: 1 });
    await arrived(received, unitTopic('RT-1', 'position'), own, "the unit's own position");
    expect(received.filter((m) => m.topic === unitTopic('RT-2', 'position'))).toEqual([]);
  });

  it('gives a device subscribed to # its own commands and nothing of the others', async () => {
    const neighbour = await asDevice('P00001-environment');
    await neighbour.publishAsync(terminalTopic('P00001-environment', 'status'), JSON.stringify({ v: 1, ts: Date.now(), status: 'online' }), { qos: 1, retain: true });
    const snoop = await asDevice('P00002-lamp');
    const got: string[] = [];
    snoop.on('message', (topic) => got.push(topic));
    await snoop.subscribeAsync('#', { qos: 1 });
    await neighbour.publishAsync(terminalTopic('P00001-environment', 'telemetry'), telemetryJson({ pm25: 12 }), { qos: 1 });
    const service = await asService('svc-commands');
    await service.publishAsync(commandTopic('P00001-environment'), '{"v":1}', { qos: 1 });
    await service.publishAsync(commandTopic('P00002-lamp'), '{"v":1,"dimmingPct":40}', { qos: 1 });
    await waitFor(() => got.includes(commandTopic('P00002-lamp')), 5000, 'the device\'s own command');
    expect(got).toEqual([commandTopic('P00002-lamp')]);
  });

  it("lets a device publish acks on its own acks topic only (another's: MQTT 5 answers 0x87, nothing delivered)", async () => {
    const received = await listen('svc-acks', ['citytwin/v1/terminals/+/acks']);
    const lamp = await asDevice('P00003-lamp', { protocolVersion: 5 });
    const own = JSON.stringify({ v: 1, id: 'cmd-own', ts: Date.now(), result: 'ok' });
    const forged = JSON.stringify({ v: 1, id: 'cmd-forged', ts: Date.now(), result: 'ok' });
    const code = ((await lamp.publishAsync(ackTopic('P00001-lamp'), forged, { qos: 1 }).catch((e: unknown) => e)) as { code?: number })?.code;
    expect(code).toBe(0x87);
    await lamp.publishAsync(ackTopic('P00003-lamp'), own, { qos: 1 });
    await arrived(received, ackTopic('P00003-lamp'), own, 'the own ack');
    expect(received.filter((m) => m.payload === forged)).toEqual([]);
  });

  it('lets the video-AI account publish events of camera terminals only', async () => {
    const received = await listen('svc-events', [EVENTS_ALL, TELEMETRY_ALL]);
    const videoAi = await connect({ clientId: 'video-ai', protocolVersion: 5, ...credentials.account(VIDEO_AI_USERNAME) });
    const detection = JSON.stringify({ v: 1, ts: Date.now(), event: 'video-ai', eventId: 'VA-1', category: 'street-vending', confidence: 0.9 });
    await videoAi.publishAsync(terminalTopic('P00001-camera', 'events'), detection, { qos: 1 });
    await videoAi.publishAsync(terminalTopic('P00003-traffic-camera', 'events'), detection, { qos: 1 });
    await arrived(received, terminalTopic('P00001-camera', 'events'), detection, 'the camera detection');
    await arrived(received, terminalTopic('P00003-traffic-camera', 'events'), detection, 'the traffic-camera detection');
    const refused = async (topic: string) => ((await videoAi.publishAsync(topic, detection, { qos: 1 }).catch((e: unknown) => e)) as { code?: number })?.code;
    expect(await refused(terminalTopic('P00001-lamp', 'events'))).toBe(0x87);
    expect(await refused(terminalTopic('P00001-camera', 'telemetry'))).toBe(0x87);
    // The device patterns apply to every user; the account's own deny keeps it out of them.
    expect(await refused(terminalTopic(VIDEO_AI_USERNAME, 'telemetry'))).toBe(0x87);
    expect(await refused(terminalTopic(VIDEO_AI_USERNAME, 'events'))).toBe(0x87);
  });

  it('lets the service account read through a shared subscription and publish on the cluster topics', async () => {
    const received = await listen('svc-shared', [`$share/g/${TELEMETRY_ALL}`, 'citytwin/v1/cluster/#']);
    const lamp = await asDevice('P00003-lamp');
    const reading = telemetryJson({ on: false });
    await lamp.publishAsync(terminalTopic('P00003-lamp', 'telemetry'), reading, { qos: 1 });
    await arrived(received, terminalTopic('P00003-lamp', 'telemetry'), reading, 'the reading through $share');
    const other = await asService('svc-cluster');
    await other.publishAsync('citytwin/v1/cluster/live/other', '{}', { qos: 1 });
    await arrived(received, 'citytwin/v1/cluster/live/other', '{}', 'the cluster message');
  });

  it('serves the twin from this broker: every simulated device logs in with its derived password and reports', async () => {
    server = await startServer({
      twinDir: twin.dir,
      port: 0,
      mqttPort: 0,
      host: '127.0.0.1',
      mqttUrl: broker.url,
      mqttUsername: SERVICE.username,
      mqttPassword: SERVICE.password,
      deviceSecret: SECRET,
      // 12 detections per camera-hour at 100× over 6 cameras: about two a second.
      simulator: { speedup: 100, faultRate: 0, seed: 5, videoEventsPerCameraHour: 12 },
    });
    await waitFor(() => server!.app.live.counters().terminalsReporting === twin.terminals.length, 15_000, 'every terminal reporting');
    await waitFor(() => server!.app.live.alarms().some((a) => a.kind === 'video-ai'), 10_000, 'a video-AI detection through the ACL');
    expect(server.app.live.counters().messagesRejected).toBe(0);
  });
});
