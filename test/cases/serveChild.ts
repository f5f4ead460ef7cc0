/**
 * Runs the server (server/index.ts startServer, as `citytwin serve` does) in a child process for
 * the crash test, on a given twin and data folder, and prints `LISTENING <url>` once it listens.
 * Not the CLI itself: `citytwin serve` would (re)build the client bundle first, which a test must
 * not do to the shared working tree.
 *
 *   node --import tsx test/cases/serveChild.ts <twinDir> <dataDir>
 */
import { startServer } from '../../server/index';

const [twinDir, dataDir] = process.argv.slice(2);
if (!twinDir || !dataDir) {
  process.stderr.write('usage: serveChild.ts <twinDir> <dataDir>\n');
  process.exit(2);
}
const server = await startServer({
  twinDir,
  dataDir,
  host: '127.0.0.1',
  port: 0,
  mqttPort: 0,
  simulator: false,
  auth: { passwordCostLog2: 10 },
});
process.stdout.write(`LISTENING ${server.httpUrl}\n`);
