/**
 * The embedded MQTT broker: aedes on a TCP port of its own, with device authentication and ACLs
 * (domain/devices.ts), a cap on connections and on packet size. It runs without Fastify
 * (`EmbeddedAedes.start`); the broker plugin (plugin.ts) decorates the app with it.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { mayPublish, maySubscribe, mayUseClientId, type Principal } from '../../../domain/devices';
import type { TerminalType } from '../../../domain/terminals';
import { Errors } from '../../errors';
import type { DeviceCredentials } from './credentials';
import { PacketSizeGuard } from './PacketSizeGuard';

/** Connections, logins and messages the embedded broker refused, since start. */
export interface BrokerRefusals {
  connections: number;
  /** Connections closed for announcing a packet over the size limit. */
  oversizePackets: number;
  logins: number;
  publishes: number;
  subscriptions: number;
}

export interface EmbeddedAedesOptions {
  /** TCP port; 0 picks a free one. */
  port: number;
  host: string;
  maxConnections: number;
  maxPacketBytes: number;
  credentials: DeviceCredentials;
  /** The type of each terminal of the twin; undefined for one it does not have. */
  typeOf(terminalId: string): TerminalType | undefined;
  /** Whether an id names an emergency unit of the twin (domain/emergency.ts); default none. */
  isUnit?(unitId: string): boolean;
  log: { debug(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/** A wildcard listen address is not something a client can dial; use loopback in the URL. */
export function dialableHost(host: string): string {
  if (host === '0.0.0.0' || host === '' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** The account a principal logged in as. */
function principalName(p: Principal): string {
  return p.role === 'device' ? `device:${p.terminalId}` : p.role === 'unit' ? `unit:${p.unitId}` : p.role === 'service' ? `service:${p.username}` : 'video-ai';
}

/** MQTT 3.1.1 CONNACK return codes: 4 bad username or password, 5 not authorised. */
function loginError(message: string, returnCode: 4 | 5): AuthenticateError {
  return Object.assign(new Error(message), { returnCode });
}

export class EmbeddedAedes {
  /** URL a local client connects to, e.g. `mqtt://127.0.0.1:1883`. */
  readonly url: string;
  readonly port: number;

  private constructor(
    private readonly aedes: Aedes,
    private readonly server: Server,
    private readonly sockets: Set<Socket>,
    private readonly refused: BrokerRefusals,
    host: string,
  ) {
    this.port = (server.address() as AddressInfo).port;
    this.url = `mqtt://${dialableHost(host)}:${this.port}`;
  }

  /** Starts the broker and resolves once it listens. */
  static async start(opts: EmbeddedAedesOptions): Promise<EmbeddedAedes> {
    const { credentials, typeOf, log, maxConnections, maxPacketBytes, host } = opts;
    const principals = new WeakMap<Client, Principal>();
    /** The connected client holding each client id. */
    const connectedById = new Map<string, Client>();
    const refused: BrokerRefusals = { connections: 0, oversizePackets: 0, logins: 0, publishes: 0, subscriptions: 0 };

    const aedes = await Aedes.createBroker({
      // No message queue in front of delivery. aedes reads one packet at a time per client, so the
      // messages in flight are bounded by the clients anyway; its default queue (beyond 100 in
      // flight) drains recursively, and with 10,000 devices publishing into a slow subscriber
      // that then disconnects, that recursion overflows the stack and takes the server down.
      concurrency: 0,
      authenticate: (client, username, password, done) => {
        const isTerminal = (id: string): boolean => typeOf(id) !== undefined;
        const isUnit = opts.isUnit ?? (() => false);
        const principal = credentials.authenticate(username, password, isTerminal, isUnit);
        // The client id names the session the broker keeps (and hands, queued messages and all, to
        // whoever connects with it next): it is bound to the account (domain/devices.ts).
        if (principal && !mayUseClientId(principal, client.id, (id) => isTerminal(id) || isUnit(id))) {
          refused.logins += 1;
          log.debug({ clientId: client.id, username }, 'MQTT login refused: client id not bound to this account');
          return done(loginError(`client id "${client.id}" is not this account's: a device connects as its terminal id`, 5), false);
        }
        // MQTT lets a new connection with a client id take over the old one. Only the same
        // account may do that: otherwise a device could knock another offline (and fire its will).
        const holder = connectedById.get(client.id);
        const held = holder && holder !== client ? principals.get(holder) : undefined;
        if (principal && held && principalName(held) !== principalName(principal)) {
          refused.logins += 1;
          log.debug({ clientId: client.id, username }, 'MQTT login refused: client id held by another account');
          return done(loginError('client id is in use by another account', 5), false);
        }
        if (principal) {
          principals.set(client, principal);
          return done(null, true);
        }
        refused.logins += 1;
        log.debug({ clientId: client.id, username }, 'MQTT login refused');
        done(username ? loginError('bad username or password', 4) : loginError('anonymous clients are not allowed', 5), false);
      },
      authorizePublish: (client, packet, done) => {
        // A null client is the broker itself (retained and $SYS messages).
        if (!client) return done(null);
        const principal = principals.get(client);
        if (principal && mayPublish(principal, packet.topic, typeOf)) return done(null);
        refused.publishes += 1;
        log.debug({ clientId: client.id, topic: packet.topic }, 'MQTT publish refused');
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
    aedes.on('clientError', (client, err) => log.debug({ clientId: client.id, err: err.message }, 'MQTT client error'));
    aedes.on('connectionError', (client, err) => log.debug({ clientId: client.id, err: err.message }, 'MQTT connection error'));

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
    server.on('error', (err) => log.error({ err }, 'MQTT listener error'));

    return new EmbeddedAedes(aedes, server, sockets, refused, host);
  }

  clientsConnected(): number {
    return this.aedes.connectedClients;
  }

  refusals(): BrokerRefusals {
    return { ...this.refused };
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
    // aedes closes the clients it knows; sockets still in the MQTT handshake are ours to end.
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
