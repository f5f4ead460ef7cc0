/**
 * Loads the twin package the server runs on and shares it as `app.twin`.
 */
import fp from 'fastify-plugin';
import { Errors } from '../errors';
import { loadTwin } from './loadTwin';
import type { TwinIndex } from './TwinIndex';

export interface TwinPluginOptions {
  /** Folder holding twin.json and its layers. */
  dir: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    twin: TwinIndex;
  }
}

export default fp<TwinPluginOptions>(
  async (app, opts) => {
    if (typeof opts.dir !== 'string' || opts.dir === '') throw new Errors.BadOption('twin: "dir" is required');
    const twin = await loadTwin(opts.dir);
    app.decorate('twin', twin);
    app.log.info(
      { dir: twin.dir, poles: twin.poles.length, terminals: twin.terminals.length, components: twin.components.length },
      `twin "${twin.manifest.name.en}" loaded`,
    );
  },
  { name: 'citytwin-twin', fastify: '5.x' },
);
