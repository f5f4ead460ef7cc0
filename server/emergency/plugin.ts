/**
 * Emergency command as `app.emergency` (EmergencyService.ts): the road graph built once from the
 * twin's roads layer, flood closures read from a finished flood scenario's max-depth grid, the
 * MQTT channel to the units (UnitChannel.ts), and responses on the live stream as `emergency`
 * events for logged-in viewers — unit positions batched every `eventIntervalMs`.
 */
import fp from 'fastify-plugin';
import { EmergencyRuleError, type EmergencyEventData, type EmergencyResponse } from '../../domain/emergency';
import { crsTransform } from '../../kernel/crs/crs';
import { parseAsciiGrid } from '../../kernel/raster/asciiGrid';
import { knownDemCrs } from '../../simulations/flood/twin/twinFloodSetup';
import { Errors } from '../errors';
import { closedEdges, gridDepthAt } from './core/floodClosure';
import { buildRoadGraph } from './core/roadGraph';
import { readRoads } from './readRoads';
import { EmergencyService, type FloodRoads } from './EmergencyService';
import { UnitChannel } from './UnitChannel';

export interface EmergencyPluginOptions {
  /** How often response changes (unit positions) go to the browsers; default 500 ms. */
  eventIntervalMs?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    emergency: EmergencyService;
  }
}

/** Flood runs whose closures are kept in memory. */
const FLOOD_CACHE = 4;

export default fp<EmergencyPluginOptions>(
  async (app, opts) => {
    const eventIntervalMs = opts.eventIntervalMs ?? 500;
    if (!(Number.isFinite(eventIntervalMs) && eventIntervalMs > 0)) throw new Errors.BadOption(`emergency: eventIntervalMs must be a positive number of ms, got ${eventIntervalMs}`);
    const { twin, storage, stream, cases, cluster } = app;
    const graph = buildRoadGraph(await readRoads(twin.dir, twin.manifest.files.roads));
    const demCrs = crsTransform(await knownDemCrs(twin.dir, twin.manifest.files.dem));

    const floods = new Map<string, FloodRoads>();
    const floodRoads = async (scenarioId: string): Promise<FloodRoads> => {
      const cached = floods.get(scenarioId);
      if (cached) return cached;
      const scenario = await app.scenarios.store.get(scenarioId);
      if (!scenario || scenario.kind !== 'flood') throw new EmergencyRuleError('invalid', `scenarioId: "${scenarioId}" is not a flood scenario`, ['scenarioId']);
      if (scenario.status !== 'done') throw new EmergencyRuleError('stage', `scenarioId: flood scenario "${scenarioId}" is ${scenario.status}, not done`, ['scenarioId']);
      const file = await app.scenarios.store.file(scenario, 'max-depth.asc');
      if (!file) throw new EmergencyRuleError('invalid', `scenarioId: flood scenario "${scenarioId}" has no max-depth grid`, ['scenarioId']);
      const parts: Buffer[] = [];
      for await (const part of file.parts) parts.push(part);
      const grid = parseAsciiGrid(Buffer.concat(parts).toString('utf8'), `${scenarioId}/max-depth.asc`);
      const depthAt = gridDepthAt(grid, (lon, lat) => demCrs.fromLonLat(lon, lat));
      const roads = { closed: closedEdges(graph, depthAt), depthAt };
      if (floods.size >= FLOOD_CACHE) floods.delete(floods.keys().next().value!);
      floods.set(scenarioId, roads);
      return roads;
    };

    const changed = new Map<string, EmergencyResponse>();
    const service: EmergencyService = new EmergencyService({
      twin,
      graph,
      storage,
      cases,
      floodRoads,
      sendOrder: (unitId, order) => channel.sendOrder(unitId, order),
      publish: (data) => data.responses.forEach((r) => changed.set(r.id, r)),
    });
    const channel = new UnitChannel({
      url: app.broker.url,
      ...app.broker.serviceCredential,
      instanceId: cluster.instanceId,
      isUnit: (id) => twin.isUnit(id),
      onPosition: (id, p) => service.onPosition(id, p),
      onStatus: (id, s) => void service.onStatus(id, s).catch((err: Error) => app.log.warn({ err: err.message, unit: id }, 'emergency: unit status not recorded')),
      log: app.log.child({ component: 'emergency' }),
    });
    try {
      await channel.connect();
    } catch (err) {
      throw new Errors.Mqtt(`emergency: cannot connect to the MQTT broker at ${app.broker.url}: ${(err as Error).message}`);
    }
    await service.start();

    const timer = setInterval(() => {
      if (changed.size === 0) return;
      const data: EmergencyEventData = { responses: [...changed.values()] };
      changed.clear();
      stream.publish('emergency', data, { loggedIn: true });
    }, eventIntervalMs);
    timer.unref();

    app.decorate('emergency', service);
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await channel.close();
    });
  },
  { name: 'citytwin-emergency', fastify: '5.x', dependencies: ['citytwin-twin', 'citytwin-broker', 'citytwin-stream', 'citytwin-storage', 'citytwin-cluster', 'citytwin-cases', 'citytwin-scenarios'] },
);
