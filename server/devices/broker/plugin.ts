/**
 * The MQTT broker devices publish to: by default an embedded aedes broker on its own TCP port,
 * with device authentication and ACLs (domain/devices.ts); with `externalUrl` (MQTT_URL) none
 * starts and the server's clients dial that broker (Mosquitto, EMQX), whose own ACL then applies.
 *
 * Nothing else in the server reaches into aedes: the ingest and the simulator connect to `url` as
 * ordinary MQTT clients with the credentials this plugin hands out (`app.broker`). The broker has
 * no WebSocket listener: browsers never talk to it, only to the server's /ws/live.
 */
import fp from 'fastify-plugin';
import { SERVICE_USERNAME } from '../../../domain/devices';
import { Errors } from '../../errors';
import { DeviceCredentials, resolveDeviceSecret, type Credential } from './credentials';
import { EmbeddedAedes, type BrokerRefusals } from './EmbeddedAedes';

export { dialableHost, type BrokerRefusals } from './EmbeddedAedes';

export interface BrokerPluginOptions {
  /** TCP port of the embedded broker; 0 picks a free one. Ignored with `externalUrl`. */
  port: number;
  /** Interface to listen on; default all. */
  host?: string;
  /** An external broker's URL (mqtt://, mqtts://): no embedded broker starts. */
  externalUrl?: string;
  /** What the server's own clients log in with on the external broker (MQTT_USERNAME/MQTT_PASSWORD). */
  externalCredential?: Partial<Credential>;
  /** Secret the device credentials derive from; default resolveDeviceSecret(app.dataDir). */
  deviceSecret?: string;
  /** TCP connections the embedded broker accepts at once; default 50,000. */
  maxConnections?: number;
  /** Largest MQTT packet accepted, bytes; a bigger one closes the connection. Default 64 KiB. */
  maxPacketBytes?: number;
}

export interface EmbeddedBroker {
  /** URL a local client connects to, e.g. `mqtt://127.0.0.1:1883`. */
  readonly url: string;
  /** The embedded broker's port; 0 when an external broker is used. */
  readonly port: number;
  /** False when `url` is an external broker. */
  readonly embedded: boolean;
  /** What the ingest logs in with: the service account, or the external credential (maybe none). */
  readonly serviceCredential: Partial<Credential>;
  /** Device and account credentials (embedded broker; the simulator uses them on either). */
  readonly credentials: DeviceCredentials;
  clientsConnected(): number;
  refusals(): BrokerRefusals;
}

declare module 'fastify' {
  interface FastifyInstance {
    broker: EmbeddedBroker;
  }
}

export default fp<BrokerPluginOptions>(
  async (app, opts) => {
    let credentials: DeviceCredentials;
    try {
      credentials = new DeviceCredentials(opts.deviceSecret ?? resolveDeviceSecret(app.dataDir));
    } catch (err) {
      throw new Errors.BadOption(`broker: ${(err as Error).message}`);
    }

    if (opts.externalUrl !== undefined) {
      if (!/^(mqtts?|tcp):\/\/[^/\s]+/.test(opts.externalUrl)) {
        throw new Errors.BadOption(`broker: MQTT_URL must be an mqtt:// or mqtts:// URL, got ${JSON.stringify(opts.externalUrl)}`);
      }
      const url = opts.externalUrl;
      app.decorate<EmbeddedBroker>('broker', {
        url,
        port: 0,
        embedded: false,
        serviceCredential: { ...opts.externalCredential },
        credentials,
        // Only the external broker knows; its own monitoring ($SYS) reports them.
        clientsConnected: () => 0,
        refusals: () => ({ connections: 0, oversizePackets: 0, logins: 0, publishes: 0, subscriptions: 0 }),
      });
      app.log.info({ url }, `using the external MQTT broker at ${url}`);
      return;
    }

    if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
      throw new Errors.BadOption(`broker: port must be an integer in 0..65535, got ${String(opts.port)}`);
    }
    const maxConnections = opts.maxConnections ?? 50_000;
    if (!Number.isInteger(maxConnections) || maxConnections < 1) {
      throw new Errors.BadOption(`broker: maxConnections must be a positive integer, got ${String(maxConnections)}`);
    }
    const maxPacketBytes = opts.maxPacketBytes ?? 64 * 1024;
    if (!Number.isInteger(maxPacketBytes) || maxPacketBytes < 1024) {
      throw new Errors.BadOption(`broker: maxPacketBytes must be an integer of at least 1024, got ${String(maxPacketBytes)}`);
    }
    const { terminalById } = app.twin;
    const broker = await EmbeddedAedes.start({
      port: opts.port,
      host: opts.host ?? '0.0.0.0',
      maxConnections,
      maxPacketBytes,
      credentials,
      typeOf: (id) => terminalById.get(id)?.type,
      isUnit: (id) => app.twin.isUnit(id),
      log: app.log,
    });
    const { url } = broker;
    app.decorate<EmbeddedBroker>('broker', {
      url,
      port: broker.port,
      embedded: true,
      serviceCredential: credentials.account(SERVICE_USERNAME),
      credentials,
      clientsConnected: () => broker.clientsConnected(),
      refusals: () => broker.refusals(),
    });
    app.log.info({ url }, `MQTT broker listening on ${url}`);
    app.addHook('onClose', () => broker.close());
  },
  { name: 'citytwin-broker', fastify: '5.x', dependencies: ['citytwin-twin'] },
);
