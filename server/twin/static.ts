/**
 * Static files: the twin package at /twin/, CesiumJS at /cesium/, and the client bundle at / with
 * a single-page-app fallback to index.html. Also owns the server's 404 handling, since what is
 * "not found" depends on whether a client is served at /.
 *
 * Caching: the twin and Cesium change only on rebuild or upgrade, so they get a short max-age
 * plus ETag/Last-Modified for cheap revalidation; the client's hashed `assets/` are immutable;
 * index.html is always revalidated so a new build shows up on reload.
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { errorBody, Errors } from '../errors';
import { decodedPath } from '../http/routedPath';

export interface StaticPluginOptions {
  twinDir: string;
  /** Built client (index.html …); absent: no client, only the API and the other files. */
  clientDir?: string;
  /** CesiumJS build folder; absent: the installed `cesium` package's Build/Cesium, if found. */
  cesiumDir?: string;
}

/** Content types `mime` does not know, or knows differently from what Cesium and glTF loaders expect. */
const TWIN_CONTENT_TYPES: Record<string, string> = {
  '.terrain': 'application/vnd.quantized-mesh',
  '.glb': 'model/gltf-binary',
  '.gltf': 'model/gltf+json',
  '.b3dm': 'application/octet-stream',
  '.geojson': 'application/geo+json',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
};

const TWIN_CACHE = 'public, max-age=300';
const CESIUM_CACHE = 'public, max-age=86400';
const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/** Path prefixes that never fall back to the client's index.html. */
const NON_SPA_PREFIXES = ['/api/', '/ws/', '/twin/', '/cesium/'];

/** Build/Cesium of the installed `cesium` package, or undefined when it is not installed. */
export function defaultCesiumDir(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('cesium/package.json');
    const dir = join(dirname(pkg), 'Build', 'Cesium');
    return existsSync(join(dir, 'Cesium.js')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

export default fp<StaticPluginOptions>(
  async (app, opts) => {
    const twinDir = resolve(opts.twinDir);
    const clientDir = opts.clientDir === undefined ? undefined : resolve(opts.clientDir);
    if (clientDir && !existsSync(join(clientDir, 'index.html'))) {
      throw new Errors.BadOption(`static: no index.html in the client folder ${clientDir} (build the client first)`);
    }
    const cesiumDir = opts.cesiumDir === undefined ? defaultCesiumDir() : resolve(opts.cesiumDir);
    if (opts.cesiumDir !== undefined && !isDir(resolve(opts.cesiumDir))) {
      throw new Errors.BadOption(`static: Cesium folder ${cesiumDir} does not exist`);
    }
    if (!cesiumDir) app.log.warn('CesiumJS not found in node_modules; /cesium/ is not served');

    // The client's instance registers first and keeps `reply.sendFile` for the SPA fallback.
    if (clientDir) {
      await app.register(fastifyStatic, {
        root: clientDir,
        prefix: '/',
        cacheControl: false,
        setHeaders: (reply, path) => {
          // Vite puts content-hashed files under assets/: a new build gives them new names.
          const hashed = relative(clientDir, path).startsWith(`assets${sep}`);
          reply.header('cache-control', hashed ? IMMUTABLE_CACHE : REVALIDATE);
        },
      });
    }
    if (cesiumDir) {
      await app.register(fastifyStatic, {
        root: cesiumDir,
        prefix: '/cesium/',
        decorateReply: false,
        cacheControl: false,
        setHeaders: (reply) => {
          reply.header('cache-control', CESIUM_CACHE);
        },
      });
    }
    await app.register(fastifyStatic, {
      root: twinDir,
      prefix: '/twin/',
      decorateReply: false,
      cacheControl: false,
      setHeaders: (reply, path) => {
        const type = TWIN_CONTENT_TYPES[extname(path).toLowerCase()];
        if (type) reply.header('content-type', type);
        reply.header('cache-control', TWIN_CACHE);
        // The client may be served from another origin during development (vite on its own port).
        reply.header('access-control-allow-origin', '*');
      },
    });

    app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
      const path = decodedPath(request.url);
      const wantsPage =
        clientDir !== undefined &&
        (request.method === 'GET' || request.method === 'HEAD') &&
        !NON_SPA_PREFIXES.some((p) => path.startsWith(p)) &&
        // A missing file (`/app.js`) stays a 404; only route-like paths get the app.
        !extname(path);
      if (wantsPage) {
        return reply.header('cache-control', REVALIDATE).sendFile('index.html', clientDir, { cacheControl: false });
      }
      const err = new Errors.RouteNotFound(request.method, path);
      return reply.code(404).send(errorBody(404, err.code, err.message));
    });
  },
  { name: 'citytwin-static', fastify: '5.x' },
);
