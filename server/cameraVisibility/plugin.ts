/**
 * "Which cameras see this point" as a server capability: `app.cameraVisibility.ready()` gives the
 * twin's CameraVisibility, built on first use (reading the footprints takes a few hundred
 * milliseconds, so a server that never answers the question never pays for it).
 */
import fp from 'fastify-plugin';
import type { CameraVisibility } from './CameraVisibility';
import { openVisibility } from './openVisibility';

export interface CameraVisibilityCapability {
  ready(): Promise<CameraVisibility>;
}

declare module 'fastify' {
  interface FastifyInstance {
    cameraVisibility: CameraVisibilityCapability;
  }
}

export default fp(
  async (app) => {
    let built: Promise<CameraVisibility> | undefined;
    const ready = (): Promise<CameraVisibility> => {
      built ??= openVisibility(app.twin).catch((err: unknown) => {
        // A broken plans file must not poison every later request: the next one tries again.
        built = undefined;
        throw err;
      });
      return built;
    };
    app.decorate('cameraVisibility', { ready });
  },
  { name: 'citytwin-camera-visibility', fastify: '5.x', dependencies: ['citytwin-twin'] },
);
