/**
 * `citytwin broker-config`: writes the Mosquitto password file, ACL and mosquitto.conf that give
 * an external broker the embedded broker's device security (server/devices/broker/mosquittoAuth.ts).
 *
 * The device passwords derive from the same secret the server uses (CITYTWIN_DEVICE_SECRET or the
 * state folder's device-secret), so the files must be regenerated when the secret or the twin's
 * terminals change. The service password comes from MQTT_PASSWORD only: a password on the
 * command line would show in `ps` and the shell history.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SERVICE_USERNAME } from '../domain/devices';
import { DEVICE_SECRET_ENV, DEVICE_SECRET_FILE, DeviceCredentials, resolveDeviceSecret, type Credential } from '../server/devices/broker/credentials';
import { checkServiceAccount, MIN_SERVICE_PASSWORD_LENGTH, mosquittoAuthFiles, mosquittoConf, type MosquittoAuthFiles } from '../server/devices/broker/mosquittoAuth';
import { loadTwin } from '../server/twin/loadTwin';
import { UsageError, parseNumber, parsePort } from './args';
import { resolveTwinDir, type Log } from './ensureBuilt';
import { DEFAULT_STATE_DIR } from './paths';

export const BROKER_CONFIG_USAGE = `citytwin broker-config --out <dir> [options]

Writes the configuration of an external Mosquitto 2 broker with the embedded broker's
security: citytwin.passwd (every terminal, the video-AI and the service account),
citytwin.acl (each device only its own topics) and mosquitto.conf. Run the broker with
\`mosquitto -c <dir>/mosquitto.conf\` and the server with --mqtt-url (see docs/devices.md).

The device passwords derive from CITYTWIN_DEVICE_SECRET, else from the state folder's
device-secret (created if missing, as \`serve\` does); the service account's password is
MQTT_PASSWORD (required, at least ${MIN_SERVICE_PASSWORD_LENGTH} characters).

  --out <dir>              folder to write the three files to (created if missing)
  --twin <dir>             twin package whose terminals get accounts (default: the demo city)
  --seed <n>               demo city seed when --twin is not given (default 42)
  --data <dir>             state folder holding device-secret (env DATA_DIR, default data/state)
  --service-user <name>    the server's broker username (env MQTT_USERNAME, default ${SERVICE_USERNAME})
  --port <n>               the broker's listener port (default 1883)
  --broker-dir <dir>       where the files will be on the broker host, as mosquitto.conf names
                           them (default: --out)
  --persistence-dir <dir>  Mosquitto's persistence folder (default /var/lib/mosquitto)`;

export const PASSWORD_FILE = 'citytwin.passwd';
export const ACL_FILE = 'citytwin.acl';
export const CONF_FILE = 'mosquitto.conf';

export async function brokerConfigCommand(argv: string[], log: Log, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      out: { type: 'string' },
      twin: { type: 'string' },
      seed: { type: 'string' },
      data: { type: 'string' },
      'service-user': { type: 'string' },
      port: { type: 'string' },
      'broker-dir': { type: 'string' },
      'persistence-dir': { type: 'string' },
    },
  });
  if (values.out === undefined || values.out.trim() === '') throw new UsageError(`--out <dir> is required\n\n${BROKER_CONFIG_USAGE}`);
  const outDir = path.resolve(values.out);
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw new UsageError(`--out ${values.out}: exists and is not a folder`);

  const port = parsePort(values.port, '--port', 1883);
  if (port === 0) throw new UsageError('--port must be a port number 1–65535 (a broker listener cannot pick one), got 0');
  const service = serviceAccount(values['service-user'], env);
  const brokerDir = checkAbsoluteDir(values['broker-dir'], values['broker-dir'] !== undefined ? '--broker-dir' : '--out', outDir);
  const persistenceDir = checkAbsoluteDir(values['persistence-dir'], '--persistence-dir', '/var/lib/mosquitto');
  const seed = parseNumber(values.seed, '--seed', { min: 0, max: 2 ** 31 - 1, integer: true });
  if (seed !== undefined && values.twin !== undefined) throw new UsageError('--seed chooses the demo city; it cannot go with --twin');

  const twinDir = await resolveTwinDir(values.twin, seed ?? 42, log);
  const twin = await loadTwin(twinDir);

  const dataDir = values.data ?? env.DATA_DIR ? path.resolve((values.data ?? env.DATA_DIR)!) : DEFAULT_STATE_DIR;
  const secretFile = path.join(dataDir, DEVICE_SECRET_FILE);
  const secretSource = env[DEVICE_SECRET_ENV] ? DEVICE_SECRET_ENV : existsSync(secretFile) ? secretFile : `${secretFile} (new)`;
  if (!env[DEVICE_SECRET_ENV]) await mkdir(dataDir, { recursive: true });
  let credentials: DeviceCredentials;
  try {
    credentials = new DeviceCredentials(resolveDeviceSecret(dataDir, env));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }

  let files: MosquittoAuthFiles;
  try {
    files = mosquittoAuthFiles({ terminals: twin.terminals, credentials, service, units: twin.resources.filter((r) => twin.isUnit(r.id)).map((r) => r.id) });
  } catch (err) {
    // The service account was checked above: what is left is a terminal the broker cannot take.
    throw new UsageError(`${path.join(twinDir, twin.manifest.files.terminals)}: ${(err as Error).message}`);
  }
  const conf = mosquittoConf({
    port,
    passwordFile: path.join(brokerDir, PASSWORD_FILE),
    aclFile: path.join(brokerDir, ACL_FILE),
    persistenceDir,
    devices: files.accounts.devices,
  });

  await mkdir(outDir, { recursive: true });
  await writeAtomically(path.join(outDir, PASSWORD_FILE), files.passwordFile, 0o600);
  await writeAtomically(path.join(outDir, ACL_FILE), files.aclFile, 0o644);
  await writeAtomically(path.join(outDir, CONF_FILE), conf, 0o644);

  log(`Mosquitto configuration for ${twin.manifest.name.en} written to ${outDir}:`);
  log(`  ${PASSWORD_FILE}  ${files.accounts.devices} devices, the video-AI account, the service account "${service.username}" (mode 0600)`);
  log(`  ${ACL_FILE}     devices: own topics only; video-AI: events of ${files.accounts.cameras} camera terminals; service: citytwin/v1/#`);
  log(`  ${CONF_FILE}   listener ${port}, no anonymous clients, persistence in ${persistenceDir}`);
  log(`Device passwords derive from ${secretSource}; give the server the same secret.`);
  log(`Run: mosquitto -c ${path.join(brokerDir, CONF_FILE)}   (the files must be readable by the user Mosquitto runs as)`);
  log(`Then: MQTT_USERNAME=${service.username} MQTT_PASSWORD=… citytwin serve --mqtt-url mqtt://<broker>:${port}`);
}

/** The server's account: username from --service-user / MQTT_USERNAME, password from MQTT_PASSWORD only. */
function serviceAccount(option: string | undefined, env: NodeJS.ProcessEnv): Credential {
  const username = option ?? (env.MQTT_USERNAME || SERVICE_USERNAME);
  const password = env.MQTT_PASSWORD;
  if (password === undefined || password === '') {
    throw new UsageError(
      `MQTT_PASSWORD is not set: the service account "${username}" needs the password the server will log in with ` +
        `(set MQTT_PASSWORD to at least ${MIN_SERVICE_PASSWORD_LENGTH} characters, here and for \`citytwin serve\`)`,
    );
  }
  try {
    checkServiceAccount({ username, password });
  } catch (err) {
    const message = (err as Error).message;
    const where = message.startsWith('the service password') ? 'MQTT_PASSWORD' : option !== undefined ? '--service-user' : env.MQTT_USERNAME ? 'MQTT_USERNAME' : 'service account';
    throw new UsageError(`${where}: ${message}`);
  }
  return { username, password };
}

/** An absolute folder path for the broker host (it may not exist here); spaces would split config lines. */
function checkAbsoluteDir(value: string | undefined, name: string, fallback: string): string {
  const dir = value ?? fallback;
  if (!path.isAbsolute(dir)) throw new UsageError(`${name} must be an absolute path (as the broker host sees it), got "${dir}"`);
  if (/\s/.test(dir)) throw new UsageError(`${name} cannot contain spaces (Mosquitto config lines split on them), got "${dir}"`);
  return path.normalize(dir);
}

/** Write beside, then rename over: Mosquitto reloading (SIGHUP) never reads half a file. */
async function writeAtomically(file: string, content: string, mode: number): Promise<void> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, content, { mode, flag: 'wx' });
    // writeFile's mode passes through the umask; the password file must end up 0600 regardless.
    await chmod(tmp, mode);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
