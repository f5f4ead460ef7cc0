/**
 * `app.cluster`: this instance's place among the instances of one deployment. With an external
 * broker (MQTT_URL) the instances find each other on it (server/cluster/ClusterBus.ts); with the
 * embedded broker the server is alone and is its own whole cluster.
 *
 * The live plugin hands state changes across (liveExchange.ts), the stream plugin server
 * events, and the live watchdog asks `owns(terminalId)` so one instance watches each terminal.
 */
import { hostname } from 'node:os';
import fp from 'fastify-plugin';
import { isInstanceId } from '../../domain/clusterTopics';
import { ClusterBus } from './ClusterBus';
import { Errors } from '../errors';

export interface ClusterPluginOptions {
  /**
   * This instance's id (`--instance`, CITYTWIN_INSTANCE); default the host name, which stays the
   * same across restarts so the broker's queue for the instance is found again (two instances on
   * one host need ids of their own).
   */
  instanceId?: string;
}

export interface Cluster {
  readonly instanceId: string;
  /** True when instances share an external broker. */
  readonly enabled: boolean;
  members(): readonly string[];
  /** Whether this instance looks after `key` (a terminal id) among the members now. */
  owns(key: string): boolean;
  /** The bus to the other instances; absent when alone. */
  readonly bus: ClusterBus | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    cluster: Cluster;
  }
}

/** The host name, trimmed to what an instance id may hold. */
export function defaultInstanceId(): string {
  return hostname().replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 48) || 'citytwin';
}

export default fp<ClusterPluginOptions>(
  async (app, opts) => {
    const instanceId = opts.instanceId ?? defaultInstanceId();
    if (!isInstanceId(instanceId)) {
      throw new Errors.BadOption(`cluster: instance id "${instanceId}" must be 1–48 letters, digits, '-', '_' or '.'`);
    }
    // Alone: the embedded broker, or no broker at all (tests of the live plugins by themselves).
    if (!app.hasDecorator('broker') || app.broker.embedded) {
      app.decorate<Cluster>('cluster', { instanceId, enabled: false, members: () => [instanceId], owns: () => true, bus: undefined });
      return;
    }
    let bus: ClusterBus;
    try {
      bus = await ClusterBus.connect({
        url: app.broker.url,
        ...app.broker.serviceCredential,
        instanceId,
        log: app.log.child({ component: 'cluster' }),
      });
    } catch (err) {
      throw new Errors.Mqtt(`cluster: cannot connect to the MQTT broker at ${app.broker.url}: ${(err as Error).message}`);
    }
    app.decorate<Cluster>('cluster', {
      instanceId,
      enabled: true,
      members: () => bus.members(),
      owns: (key) => bus.owns(key),
      bus,
    });
    app.log.info({ instanceId }, `cluster instance ${instanceId}`);
    // Announced once every plugin has attached its handlers, so the others' answers are heard.
    app.addHook('onReady', () => bus.start());
    app.addHook('onClose', () => bus.close());
  },
  { name: 'citytwin-cluster', fastify: '5.x' },
);
