/**
 * L5 interiors at `/twin/interiors/{buildingId}.glb`: the package's pre-generated file when the
 * build wrote one, otherwise made now from `interiors/plans.json` (a couple of milliseconds, the
 * same bytes a pre-generated file would have). A city of 100k buildings would need gigabytes of
 * interiors on disk; this way only the ones people open are ever built.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import Type from 'typebox';
import { InteriorPlans } from '../../tiles/pipeline/interiors/onDemand';
import { Errors } from '../errors';

export interface InteriorsPluginOptions {
  twinDir: string;
}

const GLB_TYPE = 'model/gltf-binary';
const CACHE = 'public, max-age=3600';

export default fp<InteriorsPluginOptions>(
  async (app, opts) => {
    const twinDir = path.resolve(opts.twinDir);
    const template = app.twin.manifest.files.interiors;
    // Packages built before L5 existed have no interiors: nothing to serve.
    if (!template) return;
    const dir = path.join(twinDir, path.dirname(template));
    let plans: Promise<InteriorPlans | undefined> | undefined;
    const openPlans = (): Promise<InteriorPlans | undefined> =>
      (plans ??= InteriorPlans.open(twinDir).catch((err: Error) => {
        app.log.warn({ err: err.message }, 'interior plans unavailable; only pre-generated interiors are served');
        return undefined;
      }));

    const routes: FastifyPluginAsyncTypebox = async (scope) => {
      scope.get(
        `/twin/${path.posix.dirname(template)}/:file`,
        { schema: { params: Type.Object({ file: Type.String({ maxLength: 200 }) }) } },
        async (request, reply) => {
          const { file } = request.params;
          const id = file.endsWith('.glb') ? file.slice(0, -4) : undefined;
          // Ids come from the package, but the path is the user's: no separators, no dot-dot.
          if (!id || id.includes('/') || id.includes('\\') || id.startsWith('.')) throw new Errors.NotFound('interior', file);
          reply.header('cache-control', CACHE).header('access-control-allow-origin', '*');
          const onDisk = path.join(dir, file);
          const info = await stat(onDisk).catch(() => undefined);
          if (info?.isFile()) {
            return reply.type(GLB_TYPE).header('content-length', info.size).send(createReadStream(onDisk));
          }
          const glb = (await openPlans())?.glb(id);
          if (!glb) throw new Errors.NotFound('interior of building', id);
          return reply.type(GLB_TYPE).send(Buffer.from(glb.buffer, glb.byteOffset, glb.byteLength));
        },
      );
    };
    await app.register(routes);
  },
  { name: 'citytwin-interiors', fastify: '5.x', dependencies: ['citytwin-twin'] },
);
