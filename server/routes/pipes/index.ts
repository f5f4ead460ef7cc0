/**
 * Underground networks for planners (docs/pipes.md): `GET /api/pipes/clearances` lists pipe pairs
 * of different networks closer than the clearance asked (crossings and parallel runs), and
 * `GET /api/pipes/under-road/:roadId` what lies under a road, by network, and
 * `GET /api/pipes/outfalls` the storm network's outfalls with the size of their catchments (for
 * a flood run coupled to the part draining to chosen outfalls, docs/drainage.md).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type, { type Static } from 'typebox';
import { PIPE_NETWORKS, PIPE_SHAPES, type PipeNetwork } from '../../../domain/pipes';
import { Errors } from '../../errors';
import type { ClearanceResult } from '../../../domain/pipes';
import { runInWorker } from '../../../kernel/worker/runInWorker';
import type { ClearanceWorkerInput } from '../../pipes/clearanceWorker';
import { PipeIndex } from '../../pipes/PipeIndex';
import { pipesUnderRoad } from '../../pipes/underRoad';
import { ErrorSchema } from '../schemas';
import type { TwinManifest } from '../../../domain/twinPackage';
import { crsTransform } from '../../../kernel/crs/crs';
import { outfallCatchments, readTwinStormNetwork } from '../../../simulations/drainage/twinStormNetwork';

/** GB 50289 asks 0.15 m between most pipes at a crossing; 0.5 m is a common least gap between parallel runs. */
const DEFAULT_CROSSING_M = 0.15;
const DEFAULT_PARALLEL_M = 0.5;
const DEFAULT_LIMIT = 200;

const NetworkSchema = Type.Enum(PIPE_NETWORKS);
const PipeRef = Type.Object({ id: Type.String(), network: NetworkSchema });

const ClearancesSchema = Type.Object({
  total: Type.Integer({ description: 'Pairs closer than asked (the list holds the closest `limit`).' }),
  issues: Type.Array(
    Type.Object({
      a: PipeRef,
      b: PipeRef,
      kind: Type.Union([Type.Literal('crossing'), Type.Literal('parallel')]),
      clearanceM: Type.Number({ description: 'Outer surface to outer surface, metres; negative where they overlap.' }),
      requiredM: Type.Number(),
      lon: Type.Number(),
      lat: Type.Number(),
      elevation: Type.Number(),
    }),
  ),
});

const UnderRoadSchema = Type.Object({
  roadId: Type.String(),
  widthM: Type.Number(),
  marginM: Type.Number(),
  networks: Type.Array(
    Type.Object({
      network: NetworkSchema,
      lengthM: Type.Number(),
      pipes: Type.Array(
        Type.Object({
          id: Type.String(),
          shape: Type.Enum(PIPE_SHAPES),
          widthM: Type.Number(),
          heightM: Type.Number(),
          material: Type.String(),
          owner: Type.String(),
          installYear: Type.Integer(),
          lengthM: Type.Number(),
          topElevation: Type.Number(),
          bottomElevation: Type.Number(),
        }),
      ),
    }),
  ),
});

const OutfallsSchema = Type.Object({
  outfalls: Type.Array(
    Type.Object({
      id: Type.String(),
      tidal: Type.Boolean({ description: 'Follows the sea level (with a flap gate); else a free outfall.' }),
      lon: Type.Number(),
      lat: Type.Number(),
      junctions: Type.Integer({ description: 'Manholes draining to it.' }),
      pipes: Type.Integer({ description: 'Pipes draining to it.' }),
    }),
    { description: 'Largest catchment first.' },
  ),
});

/** The twin's storm outfalls in lon/lat with their catchments' sizes. */
async function stormOutfalls(dir: string, manifest: TwinManifest): Promise<Static<typeof OutfallsSchema>> {
  const { network, crs } = await readTwinStormNetwork(dir, manifest);
  const transform = crsTransform(crs);
  return {
    outfalls: outfallCatchments(network).map((o) => {
      const [lon, lat] = transform.toLonLat(o.x, o.y);
      return { id: o.id, tidal: o.tidal, lon, lat, junctions: o.junctions, pipes: o.links };
    }),
  };
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const index = new PipeIndex(app.twin.dir, app.twin.manifest);
  let outfalls: Promise<Static<typeof OutfallsSchema>> | undefined;
  /**
   * The check walks every segment pair of the city (seconds on a large one): it runs on a worker
   * thread, once per set of parameters, and concurrent asks for the same set share the run.
   */
  const cache = new Map<string, Promise<ClearanceResult>>();
  const WORKER = new URL('../../pipes/clearanceWorker.ts', import.meta.url);

  app.get(
    '/clearances',
    {
      schema: {
        querystring: Type.Object({
          crossingM: Type.Optional(Type.Number({ minimum: 0, maximum: 10, description: 'Least clearance where pipes cross, metres (default 0.15).' })),
          parallelM: Type.Optional(Type.Number({ minimum: 0, maximum: 10, description: 'Least clearance along parallel runs, metres (default 0.5).' })),
          networks: Type.Optional(Type.String({ pattern: `^(${PIPE_NETWORKS.join('|')})(,(${PIPE_NETWORKS.join('|')}))*$`, description: 'Comma-separated networks; pairs involving any of them.' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Most issues listed (default 200).' })),
        }),
        response: { 200: ClearancesSchema, 400: ErrorSchema },
      },
    },
    async (request) => {
      const q = { crossingM: DEFAULT_CROSSING_M, parallelM: DEFAULT_PARALLEL_M, limit: DEFAULT_LIMIT, ...request.query };
      const networks = q.networks?.split(',') as PipeNetwork[] | undefined;
      const key = JSON.stringify([q.crossingM, q.parallelM, networks?.slice().sort()]);
      let run = cache.get(key);
      if (!run) {
        const input: ClearanceWorkerInput = { pipes: await index.records(), params: { crossingM: q.crossingM, parallelM: q.parallelM, ...(networks ? { networks } : {}), limit: 1000 } };
        run = runInWorker<ClearanceWorkerInput, [], ClearanceResult>(WORKER, input, { name: 'pipe clearances' });
        if (cache.size >= 32) cache.clear();
        cache.set(key, run);
        // A failed run is not kept: the next ask tries again.
        run.catch(() => cache.delete(key));
      }
      const all = await run;
      return { total: all.total, issues: all.issues.slice(0, q.limit) };
    },
  );

  app.get(
    '/under-road/:roadId',
    {
      schema: {
        params: Type.Object({ roadId: Type.String({ minLength: 1, maxLength: 128 }) }),
        querystring: Type.Object({ marginM: Type.Optional(Type.Number({ minimum: 0, maximum: 50, description: 'Widen the corridor beyond the carriageway, metres (default 0).' })) }),
        response: { 200: UnderRoadSchema, 400: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request) => {
      const road = await index.road(request.params.roadId);
      if (!road) throw new Errors.NotFound('road', request.params.roadId);
      const marginM = request.query.marginM ?? 0;
      return { roadId: road.id, widthM: road.widthM, marginM, networks: pipesUnderRoad(road.coordinates, road.widthM, marginM, await index.records()) };
    },
  );

  app.get(
    '/outfalls',
    { schema: { response: { 200: OutfallsSchema, 400: ErrorSchema } } },
    async () => {
      if (!outfalls) {
        outfalls = stormOutfalls(app.twin.dir, app.twin.manifest);
        // A failed read is not kept: the next ask tries again.
        outfalls.catch(() => (outfalls = undefined));
      }
      return outfalls;
    },
  );
};

export default routes;
