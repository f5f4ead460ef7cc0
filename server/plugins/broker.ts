/**
 * The embedded MQTT broker (aedes) that devices and the simulator publish to, on its own TCP port.
 *
 * Nothing else in the server reaches into aedes: the ingest and the simulator connect to `url` as
 * ordinary MQTT clients, so an external broker (mosquitto, EMQX) can replace this one by URL.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { Aedes } from 'aedes';
import fp from 'fastify-plugin';
import { Errors } from '../errors';

export interface BrokerPluginOptions {
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Interface to listen on; default all. */
  host?: string;
}

export interface EmbeddedBroker {
  /** URL a local client connects to, e.g. `mqtt://127.0.0.1:1883`. */
  readonly url: string;
  readonly port: number;
  clientsConnected(): number;
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

export default fp<BrokerPluginOptions>(
  async (app, opts) => {
    if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
      throw new Errors.BadOption(`broker: port must be an integer in 0..65535, got ${String(opts.port)}`);
    }
    const host = opts.host ?? '0.0.0.0';
    const aedes = await Aedes.createBroker();
    // A device that drops its connection or speaks bad MQTT is routine, not a server error.
    aedes.on('clientError', (client, err) => app.log.debug({ clientId: client.id, err: err.message }, 'MQTT client error'));
    aedes.on('connectionError', (client, err) => app.log.debug({ clientId: client.id, err: err.message }, 'MQTT connection error'));

    const server = createServer(aedes.handle);
    const sockets = new Set<Socket>();
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
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
    app.decorate<EmbeddedBroker>('broker', { url, port, clientsConnected: () => aedes.connectedClients });
    app.log.info({ url }, `MQTT broker listening on ${url}`);

    app.addHook('onClose', async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      // aedes closes the clients it knows; sockets still in the MQTT handshake are ours to end.
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
  },
  { name: 'citytwin-broker', fastify: '5.x' },
);
