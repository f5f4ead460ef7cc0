import { parseArgs } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isInstanceId } from '../domain/clusterTopics';
import { MAX_COST_LOG2, MIN_COST_LOG2 } from '../server/auth/passwords';
import { startServer } from '../server/index';
import { hasGeographicPlacement, parseTilesetArg, type ExtraTilesetSource } from '../server/twin/tilesetPlacement';
import { UsageError, parseNumber, parsePort } from './args';
import { parseHistoryOption } from './historyOption';
import { ensureClientBundle, resolveTwinDir, type Log } from './ensureBuilt';
import { CESIUM_DIR, CLIENT_DIST_DIR, DEFAULT_STATE_DIR } from './paths';

export const SERVE_USAGE = `citytwin serve [options]

Serves the twin: the client, the twin package, the JSON API, the live WebSocket,
an embedded MQTT broker and (by default) a device simulator.

Without --twin it serves the demo city, generating and tiling it first when it is
missing or was built by an older version, and builds the client bundle if needed.

  --twin <dir>          twin package to serve (from \`citytwin tiles build\`)
  --tileset <dir>[@lon,lat,height[,heading]]
                        also serve a third-party 3D Tiles folder (with tileset.json) at
                        /tilesets/<n>/, numbered from 0 in order; repeatable. A placement puts
                        a tileset that has none (no root transform: it would sit at the Earth's
                        centre) at that point, degrees and metres above the ellipsoid, its +y
                        axis turned heading degrees clockwise from north
  --port <n>            HTTP port (env PORT, default 8080; 0 picks a free one)
  --mqtt-port <n>       MQTT broker port (env MQTT_PORT, default 1883; 0 picks a free one)
  --mqtt-url <url>      use an external MQTT broker (Mosquitto, EMQX) instead of the embedded one
                        (env MQTT_URL; its login from MQTT_USERNAME / MQTT_PASSWORD)
  --host <addr>         address to listen on (env HOST, default 0.0.0.0)
  --instance <id>       this instance's id when several serve one city on one external broker
                        and database (env CITYTWIN_INSTANCE, default the host name; see
                        docs/deployment.md)
  --data <dir>          state folder: database, saved scenarios (env DATA_DIR, default data/state)
  --database <url>      keep cases and users in PostgreSQL (postgres://user:pass@host/db, env
                        DATABASE_URL) instead of SQLite in the state folder
  --history <spec>      device history (docs/history.md): "off", or how long each kind is kept,
                        e.g. raw=7d,1m=90d,1h=5y (the defaults; env CITYTWIN_HISTORY). It goes to
                        history.db in the state folder, or to the --database PostgreSQL
  --no-simulator        do not simulate devices (real devices publish to the broker)
  --no-client           serve no client bundle (API, WebSocket and twin only), for instances
                        behind a web server that serves the built client itself
  --delta-interval-ms <n>
                        how long the live WebSocket batches device changes before sending them
                        to browsers, 10–5000 ms (env CITYTWIN_DELTA_INTERVAL_MS, default 100):
                        a reading reaches a browser within about this long; shorter costs more
                        messages per browser (in a cluster, also the state hand-over interval)
  --sim-speedup <x>     simulated devices report x times faster than in the field
                        (default: up to 5, capped near 500 messages/s for the whole fleet)
  --staff-sim <on|off>  simulated operations staff work the cases through the API on the
                        simulated clock (docs/staff-sim.md); default on for the demo city only
                        (its twin manifest says so), off for any other twin
  --unit-speedup <x>    simulated emergency units drive x times faster than in the field
                        (default 10: a five-minute run takes half a minute; docs/emergency.md)
  --seed <n>            demo city seed (default 42)
  --password-cost <n>   scrypt cost of stored passwords as log2 N, 10–20 (env
                        CITYTWIN_PASSWORD_COST, default 15, about 0.1 s a login; docs/security.md):
                        stored hashes move to it at each user's next login
  --video-encoders <n>  embedded camera encoders that may run at once, 0–256 (env
                        CITYTWIN_VIDEO_ENCODERS, default 4; docs/video.md): one more viewer of
                        another camera is told 503 until a view closes`;

export async function serveCommand(argv: string[], log: Log): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      twin: { type: 'string' },
      tileset: { type: 'string', multiple: true },
      port: { type: 'string' },
      'mqtt-port': { type: 'string' },
      'mqtt-url': { type: 'string' },
      host: { type: 'string' },
      instance: { type: 'string' },
      data: { type: 'string' },
      database: { type: 'string' },
      history: { type: 'string' },
      'no-simulator': { type: 'boolean', default: false },
      'no-client': { type: 'boolean', default: false },
      'sim-speedup': { type: 'string' },
      'staff-sim': { type: 'string' },
      'unit-speedup': { type: 'string' },
      'delta-interval-ms': { type: 'string' },
      seed: { type: 'string' },
      'video-encoders': { type: 'string' },
      'password-cost': { type: 'string' },
    },
  });
  const port = parsePort(values.port ?? process.env.PORT, values.port !== undefined ? '--port' : 'PORT', 8080);
  const mqttPort = parsePort(
    values['mqtt-port'] ?? process.env.MQTT_PORT,
    values['mqtt-port'] !== undefined ? '--mqtt-port' : 'MQTT_PORT',
    1883,
  );
  const speedup = parseNumber(values['sim-speedup'], '--sim-speedup', { min: 0.1, max: 1000 });
  const unitSpeedup = parseNumber(values['unit-speedup'], '--unit-speedup', { min: 0.1, max: 1000 });
  const deltaIntervalMs = parseNumber(
    values['delta-interval-ms'] ?? (process.env.CITYTWIN_DELTA_INTERVAL_MS || undefined),
    values['delta-interval-ms'] !== undefined ? '--delta-interval-ms' : 'CITYTWIN_DELTA_INTERVAL_MS',
    { min: 10, max: 5000, integer: true },
  );
  const videoEncoders = parseNumber(
    values['video-encoders'] ?? (process.env.CITYTWIN_VIDEO_ENCODERS || undefined),
    values['video-encoders'] !== undefined ? '--video-encoders' : 'CITYTWIN_VIDEO_ENCODERS',
    { min: 0, max: 256, integer: true },
  );
  const passwordCostLog2 = parseNumber(
    values['password-cost'] ?? (process.env.CITYTWIN_PASSWORD_COST || undefined),
    values['password-cost'] !== undefined ? '--password-cost' : 'CITYTWIN_PASSWORD_COST',
    { min: MIN_COST_LOG2, max: MAX_COST_LOG2, integer: true },
  );
  const seed = parseNumber(values.seed, '--seed', { min: 0, max: 2 ** 31 - 1, integer: true }) ?? 42;
  const staffSim = values['staff-sim'];
  if (staffSim !== undefined && staffSim !== 'on' && staffSim !== 'off') throw new UsageError(`--staff-sim must be on or off, got "${staffSim}"`);
  if (staffSim === 'on' && values['no-simulator']) throw new UsageError('--staff-sim on needs the device simulator: the simulated staff repair its devices; drop --no-simulator');
  const host = values.host ?? process.env.HOST ?? '0.0.0.0';
  const instanceId = values.instance ?? (process.env.CITYTWIN_INSTANCE || undefined);
  if (instanceId !== undefined && !isInstanceId(instanceId)) {
    throw new UsageError(`${values.instance !== undefined ? '--instance' : 'CITYTWIN_INSTANCE'} must be 1–48 letters, digits, '-', '_' or '.', got "${instanceId}"`);
  }
  const databaseUrl = values.database ?? (process.env.DATABASE_URL || undefined);
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/\S+$/.test(databaseUrl)) {
    throw new UsageError(`${values.database !== undefined ? '--database' : 'DATABASE_URL'} must be a postgres:// URL such as postgres://user:pass@host:5432/citytwin`);
  }
  const history = parseHistoryOption(values.history ?? (process.env.CITYTWIN_HISTORY || undefined), values.history !== undefined ? '--history' : 'CITYTWIN_HISTORY');
  const mqttUrlOption = values['mqtt-url'] ?? (process.env.MQTT_URL || undefined);
  if (mqttUrlOption !== undefined && !/^(mqtts?|tcp):\/\/[^/\s]+/.test(mqttUrlOption)) {
    const where = values['mqtt-url'] !== undefined ? '--mqtt-url' : 'MQTT_URL';
    throw new UsageError(`${where} must be an mqtt:// or mqtts:// URL such as mqtt://broker:1883, got "${mqttUrlOption}"`);
  }

  const twinDir = await resolveTwinDir(values.twin, seed, log);
  const tilesets = (values.tileset ?? []).map((arg): ExtraTilesetSource & { geographic: boolean } => {
    let source: ExtraTilesetSource;
    try {
      source = parseTilesetArg(arg);
    } catch (err) {
      throw new UsageError(`--tileset ${(err as Error).message}`);
    }
    const dir = path.resolve(source.dir);
    const file = path.join(dir, 'tileset.json');
    if (!existsSync(file)) throw new UsageError(`--tileset ${source.dir}: no tileset.json there`);
    let json: { root?: unknown };
    try {
      json = JSON.parse(readFileSync(file, 'utf8')) as { root?: unknown };
    } catch (err) {
      throw new UsageError(`--tileset ${source.dir}: tileset.json is not JSON (${(err as Error).message})`);
    }
    return { ...source, dir, geographic: hasGeographicPlacement(json) };
  });
  const tilesetDirs = tilesets.map(({ dir, placement }) => ({ dir, placement }));
  if (!values['no-client']) await ensureClientBundle(CLIENT_DIST_DIR, log);

  const server = await startServer({
    twinDir,
    clientDir: values['no-client'] ? undefined : CLIENT_DIST_DIR,
    tilesetDirs,
    cesiumDir: CESIUM_DIR,
    host,
    port,
    mqttPort,
    mqttUrl: mqttUrlOption,
    instanceId,
    mqttUsername: process.env.MQTT_USERNAME || undefined,
    mqttPassword: process.env.MQTT_PASSWORD || undefined,
    dataDir: values.data ?? process.env.DATA_DIR ? path.resolve((values.data ?? process.env.DATA_DIR)!) : DEFAULT_STATE_DIR,
    storage: databaseUrl !== undefined ? { kind: 'postgres', url: databaseUrl } : { kind: 'sqlite' },
    history,
    // Without --sim-speedup the server picks one that keeps the fleet under its message budget.
    deltaIntervalMs,
    simulator: values['no-simulator'] ? false : { ...(speedup !== undefined ? { speedup } : {}), ...(unitSpeedup !== undefined ? { unitSpeedup } : {}) },
    staffSim: staffSim ?? 'auto',
    ...(videoEncoders !== undefined ? { video: { maxEncoders: videoEncoders } } : {}),
    ...(passwordCostLog2 !== undefined ? { auth: { passwordCostLog2 } } : {}),
    logger: { level: process.env.LOG_LEVEL ?? 'warn' },
  }).catch((err: Error) => {
    if (!err.message.includes('EADDRINUSE')) throw err;
    throw new Error(
      `${err.message}\n  Another citytwin or MQTT broker is using the port: choose others with --port / --mqtt-port (or PORT / MQTT_PORT).`,
    );
  });

  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const httpUrl = new URL(server.httpUrl);
  const mqttUrl = new URL(server.mqttUrl);
  log(`citytwin is serving ${path.relative(process.cwd(), twinDir) || twinDir}`);
  log(`  open   http://${shownHost}:${httpUrl.port}/`);
  const brokerShown = mqttUrlOption ?? `mqtt://${shownHost}:${mqttUrl.port}`;
  log(`  MQTT   ${brokerShown}  (topics citytwin/v1/terminals/<id>/telemetry|status|events; see docs/devices.md)`);
  log(`  health http://${shownHost}:${httpUrl.port}/api/health`);
  const { staffSim: staff } = server.app;
  if (staff.enabled) log(`  staff  simulated operations staff work the cases, clock ×${staff.clockSpeedup} (demo only; --staff-sim off stops them)`);
  tilesets.forEach(({ dir, placement, geographic }, i) => {
    const where = placement
      ? `placed at ${placement.lon}, ${placement.lat}, ${placement.height} m${placement.headingDeg ? `, heading ${placement.headingDeg}°` : ''}`
      : geographic
        ? 'placed by its own transform'
        : `has no geographic placement: it sits at the Earth's centre; give --tileset ${path.relative(process.cwd(), dir) || dir}@lon,lat,height[,heading]`;
    log(`  tileset http://${shownHost}:${httpUrl.port}/tilesets/${i}/tileset.json  ${where}`);
  });
  const { cluster } = server.app;
  if (cluster.enabled) log(`  instance ${cluster.instanceId}, sharing devices and events with the others on ${brokerShown} (docs/deployment.md)`);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down …`);
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
