/**
 * A server in a child process for the SIGKILL test (sigkill.test.ts): history on with the
 * default 1 s batch, no simulator. Prints one JSON line `{httpUrl, mqttUrl, username, password}`
 * once it listens.
 *
 *   node --import tsx test/history/historyChild.ts <twinDir> <dataDir>
 */
import { startServer } from '../../server/index';

const [twinDir, dataDir] = process.argv.slice(2);
if (!twinDir || !dataDir) {
  process.stderr.write('usage: historyChild.ts <twinDir> <dataDir>\n');
  process.exit(2);
}
const server = await startServer({ twinDir, dataDir, host: '127.0.0.1', port: 0, mqttPort: 0, simulator: false });
process.stdout.write(`${JSON.stringify({ httpUrl: server.httpUrl, mqttUrl: server.mqttUrl, ...server.app.broker.serviceCredential })}\n`);
