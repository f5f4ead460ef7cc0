/**
 * The MQTT broker devices publish to: by default an embedded aedes broker on its own TCP port,
 * with device authentication and ACLs (domain/devices.ts); with `externalUrl` (MQTT_URL) none
 * starts and the server's clients dial that broker (Mosquitto, EMQX), whose own ACL then applies.
 *
 * Nothing else in the server reaches into aedes: the ingest and the simulator connect to `url` as
 * ordinary MQTT clients with the credentials this plugin hands out (`app.broker`). The broker has
 * no WebSocket listener: browsers never talk to it, only to the server's /ws/live.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import fp from 'fastify-plugin';
import { mayPublish, maySubscribe, mayUseClientId, SERVICE_USERNAME, type Principal } from '../../domain/devices';
import { DeviceCredentials, resolveDeviceSecret, type Credential } from '../devices/credentials';
import { PacketSizeGuard } from '../devices/PacketSizeGuard';
import { Errors } from '../errors';

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

/** Connections, logins and messages the embedded broker refused, since start. */
export interface BrokerRefusals {
  connections: number;
  /** Connections closed for announcing a packet over the size limit. */
  oversizePackets: number;
  logins: number;
  publishes: number;
  subscriptions: number;
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

/** A wildcard listen address is not something a client can dial; use loopback in the URL. */
export function dialableHost(host: string): string {
  if (host === '0.0.0.0' || host === '' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** The account a principal logged in as. */
function principalName(p: Principal): string {
  return p.role === 'device' ? `device:${p.terminalId}` : p.role === 'service' ? `service:${p.username}` : 'video-ai';
}

/** MQTT 3.1.1 CONNACK return codes: 4 bad username or password, 5 not authorised. */
function loginError(message: string, returnCode: 4 | 5): AuthenticateError {
  return Object.assign(new Error(message), { returnCode });
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
    const host = opts.host ?? '0.0.0.0';
    const { terminalById } = app.twin;
    const typeOf = (id: string) => terminalById.get(id)?.type;
    const principals = new WeakMap<Client, Principal>();
    /** The connected client holding each client id. */
    const connectedById = new Map<string, Client>();
    const maxPacketBytes = opts.maxPacketBytes ?? 64 * 1024;
    if (!Number.isInteger(maxPacketBytes) || maxPacketBytes < 1024) {
      throw new Errors.BadOption(`broker: maxPacketBytes must be an integer of at least 1024, got ${String(maxPacketBytes)}`);
    }
    const refused: BrokerRefusals = { connections: 0, oversizePackets: 0, logins: 0, publishes: 0, subscriptions: 0 };

    const aedes = await Aedes.createBroker({
      // No message queue in front of delivery. aedes reads one packet at a time per client, so the
      // messages in flight are bounded by the clients anyway; its default queue (beyond 100 in
      // flight) drains recursively, and with 10,000 devices publishing into a slow subscriber
      // that then disconnects, that recursion overflows the stack and takes the server down.
      concurrency: 0,
      authenticate: (client, username, password, done) => {
        const isTerminal = (id: string): boolean => terminalById.has(id);
        const principal = credentials.authenticate(username, password, isTerminal);
        if (principal && !mayUseClientId(principal, client.id, isTerminal)) {
          refused.logins += 1;
          app.log.debug({ clientId: client.id, username }, 'MQTT login refused: client id not bound to this account');
          return done(loginError(`client id "${client.id}" is not this account's: a device connects as its terminal id`, 5), false);
        }
        // MQTT lets a new connection with a client id take over the old one. Only the same
        // account may do that: otherwise a device could knock another offline (and fire its will).
        const holder = connectedById.get(client.id);
        const held = holder && holder !== client ? principals.get(holder) : undefined;
        if (principal && held && principalName(held) !== principalName(principal)) {
          refused.logins += 1;
          app.log.debug({ clientId: client.id, username }, 'MQTT login refused: client id held by another account');
          return done(loginError('client id is in use by another account', 5), false);
        }
        if (principal) {
          principals.set(client, principal);
          return done(null, true);
        }
        refused.logins += 1;
        app.log.debug({ clientId: client.id, username }, 'MQTT login refused');
        done(username ? loginError('bad username or password', 4) : loginError('anonymous clients are not allowed', 5), false);
      },
      authorizePublish: (client, packet, done) => {
        // A null client is the broker itself (retained and $SYS messages).
        if (!client) return done(null);
        const principal = principals.get(client);
        if (principal && mayPublish(principal, packet.topic, typeOf)) return done(null);
        refused.publishes += 1;
        app.log.debug({ clientId: client.id, topic: packet.topic }, 'MQTT publish refused');
        // MQTT 3.1.1 has no negative PUBACK: the broker drops the client, as Mosquitto does.
        done(new Error(`not allowed to publish on ${packet.topic}`));
      },
      authorizeSubscribe: (client, subscription, done) => {
        const principal = principals.get(client);
        if (principal && maySubscribe(principal, subscription.topic)) return done(null, subscription);
        refused.subscriptions += 1;
        // A null subscription makes aedes answer 0x80 (failure) for this filter only.
        done(null, null);
      },
    });
    aedes.on('client', (client) => connectedById.set(client.id, client));
    aedes.on('clientDisconnect', (client) => {
      if (connectedById.get(client.id) === client) connectedById.delete(client.id);
    });
    // A device that drops its connection or speaks bad MQTT is routine, not a server error.
    aedes.on('clientError', (client, err) => app.log.debug({ clientId: client.id, err: err.message }, 'MQTT client error'));
    aedes.on('connectionError', (client, err) => app.log.debug({ clientId: client.id, err: err.message }, 'MQTT connection error'));

    const server = createServer((socket) => {
      if (sockets.size >= maxConnections) {
        refused.connections += 1;
        socket.destroy();
        return;
      }
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      aedes.handle(socket);
      // aedes reads on 'readable'; a 'data' listener then sees the same chunks as they are read.
      const guard = new PacketSizeGuard(maxPacketBytes);
      socket.on('data', (chunk: Buffer) => {
        if (guard.feed(chunk)) return;
        refused.oversizePackets += 1;
        socket.destroy();
      });
    });
    const sockets = new Set<Socket>();
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) => {
        aedes.close();
        reject(new Errors.Mqtt(`cannot start the MQTT broker on ${host}:${opts.port}: ${err.message}`));
      });
      server.listen(opts.port, host, () => resolve());
    });
    server.on('error', (err) => app.log.error({ err }, 'MQTT listener error'));

    const port = (server.address() as AddressInfo).port;
    const url = `mqtt://${dialableHost(host)}:${port}`;
    app.decorate<EmbeddedBroker>('broker', {
      url,
      port,
      embedded: true,
      serviceCredential: credentials.account(SERVICE_USERNAME),
      credentials,
      clientsConnected: () => aedes.connectedClients,
      refusals: () => ({ ...refused }),
    });
    app.log.info({ url }, `MQTT broker listening on ${url}`);

    app.addHook('onClose', async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      // aedes closes the clients it knows; sockets still in the MQTT handshake are ours to end.
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
  },
  { name: 'citytwin-broker', fastify: '5.x', dependencies: ['citytwin-twin'] },
);
