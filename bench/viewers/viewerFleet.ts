/**
 * A forked fleet of live-socket viewers for `bench:viewers`: opens N WebSockets to /ws/live, spread
 * over loopback addresses 127.0.0.1…127.0.0.k (the server limits sockets per address), and reads
 * everything they are sent, as browsers on a wall of screens would.
 */
import WebSocket from 'ws';
import type { FromViewers, ToViewers } from './protocol';

const sockets: WebSocket[] = [];
const reply = (message: FromViewers): void => {
  process.send?.(message);
};

async function open(wsUrl: string, count: number, addresses: number): Promise<void> {
  const started = performance.now();
  let snapshotBytes = 0;
  await Promise.all(
    Array.from({ length: count }, (_, i) => {
      return new Promise<void>((resolve, reject) => {
        const socket = new WebSocket(wsUrl, { localAddress: `127.0.0.${1 + (i % addresses)}` });
        sockets.push(socket);
        socket.once('message', (data) => {
          snapshotBytes = Math.max(snapshotBytes, (data as Buffer).length);
          resolve();
        });
        socket.once('unexpected-response', (_req, res) => reject(new Error(`socket ${i}: HTTP ${res.statusCode}`)));
        socket.once('error', reject);
      });
    }),
  );
  reply({ type: 'opened', sockets: count, openMs: performance.now() - started, snapshotBytes });
}

process.on('message', (message: ToViewers) => {
  if (message.type === 'open') {
    open(message.wsUrl, message.sockets, message.addresses).catch((err: Error) => {
      reply({ type: 'failed', error: err.message });
      process.exit(1);
    });
  } else if (message.type === 'stop') {
    for (const s of sockets) s.terminate();
    process.exit(0);
  }
});
