/**
 * L5 interiors at `/twin/interiors/{name}.glb`, `{name}` the building id as a file name
 * (domain/interiorFile.ts: `way/360099726` → `way~2F360099726`): the package's pre-generated file when the
 * build wrote one, otherwise made now from `interiors/plans.json` (a couple of milliseconds, the
 * same bytes a pre-generated file would have). A city of 100k buildings would need gigabytes of
 * interiors on disk; this way only the ones people open are ever built. `interiors/plans.json`
 * itself is served too: its footprints are what the planning tools' sight and sun analyses use.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { buildingIdOfInteriorFile, MAX_INTERIOR_FILE_NAME } from '../../domain/interiorFile';
import { InteriorPlans } from '../../tiles/pipeline/interiors/onDemand';
import { Errors } from '../errors';

export interface InteriorsPluginOptions {
  twinDir: string;
}

const GLB_TYPE = 'model/gltf-binary';
const CACHE = 'public, max-age=3600';
/** Longest file part of a request: an id of 200 characters of three UTF-8 bytes each, `~XX`-written. */
const MAX_REQUEST_NAME = 2048;

export default fp<InteriorsPluginOptions>(
  async (app, opts) => {
    const twinDir = path.resolve(opts.twinDir);
    const template = app.twin.manifest.files.interiors;
    // Packages built before L5 existed have no interiors: nothing to serve.
    if (!template) return;
    const dir = path.join(twinDir, path.dirname(template));
    const plansPath = app.twin.manifest.files.interiorPlans;
    let plans: Promise<InteriorPlans | undefined> | undefined;
    const openPlans = (): Promise<InteriorPlans | undefined> =>
      (plans ??= InteriorPlans.open(twinDir).catch((err: Error) => {
        app.log.warn({ err: err.message }, 'interior plans unavailable; only pre-generated interiors are served');
        return undefined;
      }));

    const routes: FastifyPluginAsyncTypebox = async (scope) => {
      scope.get(
        // A wildcard, not `:file`: a parameter stops at the router's 100 characters, and a name
        // takes up to 9 characters per character of the id (`~E5~8D~8E` for 华).
        // (No params schema: TypeBox makes a bad regular expression of the key `*`.)
        `/twin/${path.posix.dirname(template)}/*`,
        async (request: FastifyRequest<{ Params: { '*': string } }>, reply) => {
          const file = request.params['*'];
          // The footprints themselves (the planning tools' buildings), as the build wrote them.
          if (plansPath !== undefined && `${path.posix.dirname(template)}/${file}` === plansPath) {
            const info = await stat(path.join(twinDir, plansPath)).catch(() => undefined);
            if (!info?.isFile()) throw new Errors.NotFound('interior plans', plansPath);
            return reply.type('application/json').header('cache-control', CACHE).header('content-length', info.size).send(createReadStream(path.join(twinDir, plansPath)));
          }
          const name = file.endsWith('.glb') && file.length <= MAX_REQUEST_NAME ? file.slice(0, -4) : '';
          // The path is the user's: only a canonical file name (letters, digits, _ - . and ~XX,
          // no leading dot) maps back to an id, so no separator or dot-dot reaches the disk.
          const id = buildingIdOfInteriorFile(name);
          if (id === undefined) throw new Errors.NotFound('interior', file);
          reply.header('cache-control', CACHE).header('access-control-allow-origin', '*');
          const onDisk = path.join(dir, `${name}.glb`);
          const info = name.length <= MAX_INTERIOR_FILE_NAME ? await stat(onDisk).catch(() => undefined) : undefined;
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
