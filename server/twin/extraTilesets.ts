/**
 * Third-party 3D Tiles (1.0 or 1.1) served read-only beside the twin: each folder given with
 * `citytwin serve --tileset <dir>` appears at /tilesets/<index>/, so the client loads it from its
 * own origin and the operation centre stays offline. A folder given with a placement
 * (`<dir>@lon,lat,height[,heading]`) is served with a tileset.json whose root transform puts it
 * there (tilesetPlacement.ts); its files on disk stay as they are.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import { Errors } from '../errors';
import { placeTileset, type ExtraTilesetSource } from './tilesetPlacement';

export interface ExtraTilesetsPluginOptions {
  /**
   * Folders that each hold a tileset.json, optionally with a placement; served in this order at
   * /tilesets/0/, /tilesets/1/ …
   */
  dirs: ReadonlyArray<string | ExtraTilesetSource>;
}

/** URL prefix of the extra tileset with this index. */
export function extraTilesetPrefix(index: number): string {
  return `/tilesets/${index}/`;
}

/** A tileset stays open to every viewer; more than this many is a mistake on the command line. */
export const MAX_EXTRA_TILESETS = 16;

/** Content types Cesium's tile loaders expect; `mime` guesses others wrongly or not at all. */
const TILE_CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.b3dm': 'application/octet-stream',
  '.i3dm': 'application/octet-stream',
  '.pnts': 'application/octet-stream',
  '.cmpt': 'application/octet-stream',
  '.subtree': 'application/octet-stream',
  '.glb': 'model/gltf-binary',
  '.gltf': 'model/gltf+json',
};

/** Throws naming the folder when it is not a readable tileset folder. */
export function checkTilesetDir(dir: string): string {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new Errors.BadOption(`tileset folder ${root} does not exist`);
  }
  if (!existsSync(join(root, 'tileset.json'))) {
    throw new Errors.BadOption(`tileset folder ${root} has no tileset.json`);
  }
  return root;
}

export default fp<ExtraTilesetsPluginOptions>(
  async (app, opts) => {
    if (opts.dirs.length > MAX_EXTRA_TILESETS) {
      throw new Errors.BadOption(`at most ${MAX_EXTRA_TILESETS} extra tilesets, got ${opts.dirs.length}`);
    }
    const sources = opts.dirs.map((d): ExtraTilesetSource => (typeof d === 'string' ? { dir: d } : d));
    for (const [index, source] of sources.entries()) {
      const root = checkTilesetDir(source.dir);
      if (source.placement) {
        const file = join(root, 'tileset.json');
        let json: { root?: unknown };
        try {
          json = JSON.parse(readFileSync(file, 'utf8')) as { root?: unknown };
        } catch (err) {
          throw new Errors.BadOption(`${file}: not JSON (${(err as Error).message})`);
        }
        const placed = JSON.stringify(placeTileset(json, source.placement));
        // A static path beats the folder's wildcard below: this tileset.json is the placed one.
        app.get(`${extraTilesetPrefix(index)}tileset.json`, async (_request, reply) =>
          reply.type(TILE_CONTENT_TYPES['.json']!).header('cache-control', 'public, max-age=300').send(placed),
        );
      }
      await app.register(fastifyStatic, {
        root,
        prefix: extraTilesetPrefix(index),
        decorateReply: false,
        cacheControl: false,
        // Read-only: no directory listings, no index.html guessing.
        index: false,
        list: false,
        setHeaders: (reply, path) => {
          const type = TILE_CONTENT_TYPES[extname(path).toLowerCase()];
          if (type) reply.header('content-type', type);
          reply.header('cache-control', 'public, max-age=300');
        },
      });
    }
  },
  { name: 'citytwin-extra-tilesets', fastify: '5.x' },
);
