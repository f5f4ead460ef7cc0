/**
 * `citytwin serve`: the HTTP API, the live WebSocket, the embedded MQTT broker, the ingest and the
 * device simulator, assembled from one plugin per capability (each capability folder has its `plugin.ts`; HTTP routes are in routes/).
 *
 * Order matters only through data: the twin is loaded first (everything needs it), then the
 * broker (its URL feeds the ingest and the simulator), the cluster (this instance among the
 * others on an external broker), the live state, the ingest, the stream,
 * the simulator, then routes and static files. Fastify closes them in reverse.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { Errors, rootErrorHandler, schemaErrorFormatter } from './errors';
import authPlugin, { type AuthPluginOptions } from './auth/plugin';
import brokerPlugin, { dialableHost } from './devices/broker/plugin';
import cameraVisibilityPlugin from './cameraVisibility/plugin';
import casesPlugin, { type CasesPluginOptions } from './cases/plugin';
import clusterPlugin from './cluster/plugin';
import commandsPlugin, { type CommandsPluginOptions } from './commands/plugin';
import emergencyPlugin from './emergency/plugin';
import ingestPlugin from './devices/ingest/plugin';
import interiorsPlugin from './twin/interiors';
import livePlugin from './devices/state/plugin';
import openapiPlugin from './http/openapi';
import scenariosPlugin, { type ScenariosPluginOptions } from './scenarios/plugin';
import securityPlugin, { trustedProxies, type SecurityPluginOptions } from './http/security';
import simulatorPlugin from './devices/simulator/plugin';
import staticPlugin from './twin/static';
import extraTilesetsPlugin from './twin/extraTilesets';
import type { ExtraTilesetSource } from './twin/tilesetPlacement';
import storagePlugin, { type StoragePluginOptions } from './storage/plugin';
import streamPlugin from './devices/stream/plugin';
import twinPlugin from './twin/plugin';
import alarmRoutes from './routes/alarms/index';
import cameraVisibleRoutes from './routes/cameras/visible';
import authRoutes from './routes/auth/index';
import caseRoutes from './routes/cases/index';
import commandRoutes from './routes/commands/index';
import emergencyRoutes from './routes/emergency/index';
import lampScheduleRoutes from './routes/lamp-schedules/index';
import terminalCommandRoutes from './routes/terminals/commands';
import componentRoutes from './routes/components/index';
import pipeRoutes from './routes/pipes/index';
import healthRoutes from './routes/health/index';
import historyPlugin, { type HistoryOptions } from './history/plugin';
import historyRoutes from './routes/history/index';
import energyPlugin from './energy/plugin';
import { energyRoutes, terminalEnergyRoutes } from './routes/energy/index';
import kpiRoutes from './routes/kpis/index';
import kpiSeriesRoutes from './routes/kpis/series';
import poleRoutes from './routes/poles/index';
import reportRoutes from './routes/reports/index';
import scenarioRoutes from './routes/scenarios/index';
import terminalRoutes from './routes/terminals/index';
import terminalHistoryRoutes from './routes/terminals/history';
import userRoutes from './routes/users/index';
import staffSimRoutes from './routes/staff-sim/index';
import staffSimPlugin from './staffSim/plugin';
import { resolveStaffSim, type StaffSimMode } from './staffSim/enabled';
import { SimClock } from './staffSim/SimClock';
import cameraRoutes from './routes/cameras/index';
import videoPlugin, { type VideoPluginOptions } from './video/plugin';
import { resolveSpeedup } from './devices/simulator/DeviceSimulator';
import { withLogEscaping } from './logging/escapeForLog';
import { isApiRequest } from './http/routedPath';

export interface ServerOptions {
  /** A twin package (twin.json + layers/ …). */
  twinDir: string;
  /** Built client bundle (index.html …) served at /; absent → only the API. */
  clientDir?: string;
  /** Default: node_modules/cesium/Build/Cesium, served at /cesium/. */
  cesiumDir?: string;
  /** Default '0.0.0.0'. */
  host?: string;
  /** HTTP port; 0 = ephemeral (tests). */
  port: number;
  /** Embedded broker TCP port; 0 = ephemeral. */
  mqttPort: number;
  /** An external MQTT broker (MQTT_URL): no embedded broker starts; ingest and simulator dial this. */
  mqttUrl?: string;
  /**
   * This instance's id among several serving one city (`--instance`, CITYTWIN_INSTANCE); default
   * the host name. With an external broker the instances share the ingest and fan out their
   * changes to each other (docs/deployment.md).
   */
  instanceId?: string;
  /** Credential for the external broker (MQTT_USERNAME / MQTT_PASSWORD). */
  mqttUsername?: string;
  mqttPassword?: string;
  /** Secret the device credentials derive from; default CITYTWIN_DEVICE_SECRET or one kept in dataDir. */
  deviceSecret?: string;
  /** Device simulator; on by default. */
  simulator?: false | { speedup?: number; reportSpeedup?: number; staffed?: boolean; faultRate?: number; seed?: number; videoEventsPerCameraHour?: number; commandFailRate?: number; commandSilentRate?: number; unitSpeedup?: number };
  /**
   * Simulated operations staff (docs/staff-sim.md): `auto` (default) runs them on the demo city
   * with the simulator only; `on` anywhere the simulator runs; `off` never. With them on, the
   * cases run on the simulated clock and the simulator's world waits for their repairs.
   */
  staffSim?: StaffSimMode;
  /** WebSocket batching (and, in a cluster, the state hand-over), default 250 ms (DEFAULT_DELTA_INTERVAL_MS). */
  deltaIntervalMs?: number;
  /** Live WebSocket connections one address may hold; default env CITYTWIN_WS_MAX_PER_ADDRESS or 64. */
  liveSocketsPerAddress?: number;
  /**
   * Where the server keeps its state (database, saved scenarios). `citytwin serve` passes
   * data/state; without it a fresh temporary folder is used and removed on close, which suits tests.
   */
  dataDir?: string;
  /** Scenario runner options (tests pass their own kinds or a short run limit). */
  scenarios?: ScenariosPluginOptions;
  /** Case database: SQLite in dataDir (default) or PostgreSQL (`citytwin serve --database`, DATABASE_URL). */
  storage?: StoragePluginOptions['storage'];
  /** Users and login (docs/cases.md); tests lower the password hashing cost. */
  auth?: AuthPluginOptions;
  /** Device history (docs/history.md): on by default, in SQLite history.db or the cases' PostgreSQL; false turns it off. */
  history?: false | HistoryOptions;
  /** Case workflow timers; `publicReportsPerMinute` limits citizen reports per address (default 10). */
  cases?: CasesPluginOptions & { publicReportsPerMinute?: number };
  /** Device commands: ack timeout, retries, rate limits, the schedule clock (docs/commands.md). */
  commands?: CommandsPluginOptions;
  /** Third-party 3D Tiles folders (each with tileset.json, optionally placed) served at /tilesets/<index>/. */
  tilesetDirs?: ReadonlyArray<string | ExtraTilesetSource>;
  /** Security headers, body and rate limits (docs/security.md); defaults from CITYTWIN_* env vars. */
  security?: Omit<SecurityPluginOptions, 'clientDir'>;
  /** Embedded camera video: encoders at once, frame rate and size (docs/video.md). */
  video?: VideoPluginOptions;
  /** pino options; default off. */
  logger?: boolean | object;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's state folder (see ServerOptions.dataDir). */
    dataDir: string;
  }
}

export interface RunningServer {
  app: FastifyInstance;
  httpUrl: string;
  mqttUrl: string;
  close(): Promise<void>;
}

/** Builds the app with every plugin loaded (the broker listens; HTTP does not). For `app.inject`. */
export async function buildApp(opts: ServerOptions): Promise<FastifyInstance> {
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    throw new Errors.BadOption(`port must be an integer in 0..65535, got ${String(opts.port)}`);
  }
  const host = opts.host ?? '0.0.0.0';
  const app = Fastify({
    // Every logged string is escaped: device and request data must not steer the log's display.
    logger: (opts.logger ? withLogEscaping(opts.logger === true ? {} : opts.logger) : false) as FastifyServerOptions['logger'],
    // Loading a city-sized twin (a million components) can take longer than the 10 s default.
    pluginTimeout: 120_000,
    schemaErrorFormatter,
    // Behind a reverse proxy, rate limits count the client X-Forwarded-For names (docs/security.md).
    trustProxy: trustedProxies(opts.security?.trustProxy),
  });
  const dataDir = opts.dataDir ? path.resolve(opts.dataDir) : mkdtempSync(path.join(tmpdir(), 'citytwin-state-'));
  mkdirSync(dataDir, { recursive: true });
  app.decorate('dataDir', dataDir);
  if (!opts.dataDir) {
    // A state folder of its own (tests, benchmarks) goes with the server. onClose hooks run in
    // reverse order of registration, so this one runs after every plugin has closed its files.
    app.addHook('onClose', async () => rm(dataDir, { recursive: true, force: true }));
  }
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  app.setErrorHandler(rootErrorHandler);
  // API answers are live state: never let a browser or proxy reuse one.
  app.addHook('onRequest', async (request, reply) => {
    if (isApiRequest(request)) reply.header('cache-control', 'no-store');
  });

  try {
    // First: its hooks give every later route its headers, body limit and rate limit.
    await app.register(securityPlugin, { ...opts.security, clientDir: opts.clientDir });
    await app.register(twinPlugin, { dir: opts.twinDir });
    await app.register(brokerPlugin, {
      port: opts.mqttPort,
      host,
      externalUrl: opts.mqttUrl,
      externalCredential: { username: opts.mqttUsername, password: opts.mqttPassword },
      deviceSecret: opts.deviceSecret,
    });
    await app.register(clusterPlugin, { instanceId: opts.instanceId });
    const simulator = opts.simulator === false ? undefined : (opts.simulator ?? {});
    const speedup = simulator ? resolveSpeedup(app.twin.terminals, simulator.speedup) : 1;
    const reportSpeedup = Math.min(speedup, simulator?.reportSpeedup ?? speedup);
    const staff = resolveStaffSim(opts.staffSim ?? 'auto', app.twin.manifest, simulator !== undefined, app.cluster.enabled);
    if ('refused' in staff) throw new Errors.BadOption(staff.refused);
    await app.register(livePlugin, { speedup: reportSpeedup, clockSpeedup: speedup, replicaIntervalMs: opts.deltaIntervalMs });
    await app.register(ingestPlugin, {
      url: app.broker.url,
      ...app.broker.serviceCredential,
      shared: app.cluster.enabled ? { instanceId: app.cluster.instanceId } : undefined,
    });
    await app.register(streamPlugin, { deltaIntervalMs: opts.deltaIntervalMs, maxSocketsPerAddress: opts.liveSocketsPerAddress });
    await app.register(simulatorPlugin, {
      enabled: simulator !== undefined,
      url: app.broker.url,
      speedup,
      reportSpeedup,
      staffed: simulator?.staffed ?? staff.on,
      faultRate: simulator?.faultRate,
      seed: simulator?.seed,
      videoEventsPerCameraHour: simulator?.videoEventsPerCameraHour,
      commandFailRate: simulator?.commandFailRate,
      commandSilentRate: simulator?.commandSilentRate,
      unitSpeedup: simulator?.unitSpeedup,
    });

    await app.register(storagePlugin, { storage: opts.storage });
    // Scenarios are queued in the case database, shared with other instances.
    await app.register(scenariosPlugin, opts.scenarios ?? {});
    await app.register(authPlugin, opts.auth ?? {});
    // With the simulated staff the cases count simulated time, as the simulator's world does.
    const clock = staff.on ? new SimClock(speedup, await newestCaseTime(app)) : undefined;
    // Before the cases: a video-AI alarm's case gets the frame it fired on.
    await app.register(videoPlugin, { speedup, weatherSeed: simulator?.seed, ...opts.video });
    await app.register(casesPlugin, { ...opts.cases, now: opts.cases?.now ?? clock?.now });
    await app.register(historyPlugin, {
      ...(opts.history || {}),
      enabled: opts.history !== false,
      databaseUrl: opts.storage?.kind === 'postgres' ? opts.storage.url : undefined,
    });
    await app.register(commandsPlugin, opts.commands ?? {});
    await app.register(cameraVisibilityPlugin);
    await app.register(energyPlugin);
    await app.register(emergencyPlugin);
    // It learns routes as they are added: register it before any route.
    await app.register(openapiPlugin);

    await app.register(healthRoutes, { prefix: '/api/health' });
    await app.register(poleRoutes, { prefix: '/api/poles' });
    await app.register(terminalRoutes, { prefix: '/api/terminals' });
    await app.register(cameraRoutes, { prefix: '/api/cameras' });
    await app.register(terminalCommandRoutes, { prefix: '/api/terminals' });
    await app.register(commandRoutes, { prefix: '/api/commands' });
    await app.register(lampScheduleRoutes, { prefix: '/api/lamp-schedules' });
    await app.register(terminalHistoryRoutes, { prefix: '/api/terminals' });
    await app.register(historyRoutes, { prefix: '/api/history' });
    await app.register(energyRoutes, { prefix: '/api/energy' });
    await app.register(terminalEnergyRoutes, { prefix: '/api/terminals' });
    await app.register(componentRoutes, { prefix: '/api/components' });
    await app.register(pipeRoutes, { prefix: '/api/pipes' });
    await app.register(alarmRoutes, { prefix: '/api/alarms' });
    await app.register(scenarioRoutes, { prefix: '/api/scenarios' });
    await app.register(authRoutes, { prefix: '/api/auth' });
    await app.register(userRoutes, { prefix: '/api/users' });
    await app.register(caseRoutes, { prefix: '/api/cases' });
    await app.register(reportRoutes, { prefix: '/api/reports', perMinute: opts.cases?.publicReportsPerMinute });
    await app.register(kpiRoutes, { prefix: '/api/kpis' });
    await app.register(kpiSeriesRoutes, { prefix: '/api/kpis' });
    await app.register(staffSimPlugin, { clock, seed: simulator?.seed });
    await app.register(staffSimRoutes, { prefix: '/api/staff-sim' });
    await app.register(cameraVisibleRoutes, { prefix: '/api/cameras' });
    await app.register(emergencyRoutes, { prefix: '/api/emergency' });
    await app.register(interiorsPlugin, { twinDir: opts.twinDir });
    await app.register(extraTilesetsPlugin, { dirs: opts.tilesetDirs ?? [] });
    await app.register(staticPlugin, { twinDir: opts.twinDir, clientDir: opts.clientDir, cesiumDir: opts.cesiumDir });
    await app.ready();
  } catch (err) {
    // Release what did start (the broker's port, MQTT connections) before reporting the failure.
    await app.close().catch(() => undefined);
    throw err;
  }
  return app;
}

/** The newest case's last change (0 without cases): where a restarted simulated clock carries on. */
async function newestCaseTime(app: FastifyInstance): Promise<number> {
  const { items } = await app.storage.listCases({ limit: 1, offset: 0 });
  return items[0]?.updatedAt ?? 0;
}

/** Builds the app and listens on HTTP. */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const app = await buildApp(opts);
  const host = opts.host ?? '0.0.0.0';
  try {
    await app.listen({ port: opts.port, host });
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
  const { port } = app.server.address() as AddressInfo;
  const httpUrl = `http://${dialableHost(host)}:${port}`;
  app.log.info({ httpUrl, mqttUrl: app.broker.url }, `citytwin serving on ${httpUrl}`);
  return { app, httpUrl, mqttUrl: app.broker.url, close: () => app.close() };
}
