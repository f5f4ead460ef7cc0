/**
 * `GET /api/health`: is the server up, what twin does it serve, is MQTT flowing, how many devices
 * and browsers are connected. Cheap enough to poll every few seconds.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';

const HealthSchema = Type.Object({
  /** `degraded` while the ingest is disconnected from its broker. */
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  uptimeS: Type.Number(),
  twin: Type.Object({
    name: Type.Object({ 'zh-CN': Type.String(), en: Type.String() }),
    buildings: Type.Integer(),
    poles: Type.Integer(),
    terminals: Type.Integer(),
    components: Type.Integer(),
  }),
  mqtt: Type.Object({
    url: Type.String(),
    port: Type.Integer(),
    ingestConnected: Type.Boolean(),
    clientsConnected: Type.Integer(),
    messagesAccepted: Type.Integer(),
    messagesRejected: Type.Integer(),
    rejectReasons: Type.Record(Type.String(), Type.Integer()),
  }),
  devices: Type.Object({
    total: Type.Integer(),
    /** Terminals reporting: heard and not offline (faulty ones still report). */
    connected: Type.Integer(),
    offline: Type.Integer(),
    fault: Type.Integer(),
    openAlarms: Type.Integer(),
  }),
  browsers: Type.Integer(),
  /** This instance among those serving the city (docs/deployment.md); alone with the embedded broker. */
  instance: Type.Object({
    id: Type.String(),
    clustered: Type.Boolean(),
    /** Instances alive now, this one included, sorted. */
    members: Type.Array(Type.String()),
    /** Device messages this instance took itself (the mqtt counters add the other instances'). */
    accepted: Type.Integer(),
    rejected: Type.Integer(),
    /** QoS 1 resends recognised and counted once. */
    duplicates: Type.Integer(),
  }),
  simulator: Type.Object({
    running: Type.Boolean(),
    terminals: Type.Integer(),
    speedup: Type.Number(),
    messagesPerSecond: Type.Number(),
  }),
  /** Embedded camera encoders (docs/video.md). */
  video: Type.Object({
    encodersRunning: Type.Integer(),
    encodersMax: Type.Integer(),
    viewers: Type.Integer(),
    encodersStarted: Type.Integer(),
    /** ffmpeg processes that died while watched and were started again. */
    encoderRestarts: Type.Integer(),
    /** Encoders given up after dying again and again. */
    encodersFailed: Type.Integer(),
    /** Stream requests refused because every encoder was busy (503). */
    refused: Type.Integer(),
    snapshots: Type.Integer(),
  }),
});

/**
 * The broker URL as the public may see it: `mqtt://user:secret@host` is a valid MQTT_URL, and
 * this route needs no login.
 */
export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z]+:\/\/)[^@/]*@/i, '$1');
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const startedAt = Date.now();
  const { twin, live, broker, ingest, stream, simulator, cluster, video } = app;

  app.get('/', { schema: { response: { 200: HealthSchema } } }, async () => {
    const counters = live.counters();
    const ingestConnected = ingest.connected();
    return {
      status: ingestConnected ? ('ok' as const) : ('degraded' as const),
      uptimeS: Math.round((Date.now() - startedAt) / 100) / 10,
      twin: {
        name: twin.manifest.name,
        buildings: twin.buildings.length,
        poles: twin.poles.length,
        terminals: twin.terminals.length,
        components: twin.components.length,
      },
      mqtt: {
        url: withoutCredentials(ingest.url),
        port: broker.port,
        ingestConnected,
        clientsConnected: broker.clientsConnected(),
        messagesAccepted: counters.messagesAccepted,
        messagesRejected: counters.messagesRejected,
        rejectReasons: live.rejectReasons(),
      },
      devices: {
        total: twin.terminals.length,
        connected: counters.terminalsReporting,
        offline: counters.terminalsOffline,
        fault: counters.terminalsFault,
        openAlarms: counters.openAlarms,
      },
      browsers: stream.browsers(),
      instance: { id: cluster.instanceId, clustered: cluster.enabled, members: [...cluster.members()], ...live.localCounts() },
      simulator: {
        running: simulator.running(),
        terminals: simulator.terminals,
        speedup: simulator.speedup,
        messagesPerSecond: Math.round(simulator.messagesPerSecond() * 10) / 10,
      },
      video: (({ running, max, viewers, started, restarts, failed, refused, snapshots }) => ({
        encodersRunning: running,
        encodersMax: max,
        viewers,
        encodersStarted: started,
        encoderRestarts: restarts,
        encodersFailed: failed,
        refused,
        snapshots,
      }))(video.stats()),
    };
  });
};

export default routes;
