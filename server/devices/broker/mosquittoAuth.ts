/**
 * The embedded broker's security, written out for an external Mosquitto 2 broker: a password
 * file, an ACL file mirroring domain/devices.ts, and a mosquitto.conf (`citytwin broker-config`,
 * docs/devices.md "External broker: Mosquitto and EMQX"). Pure text generation, no I/O.
 *
 * Password file lines are what `mosquitto_passwd` writes in Mosquitto 2:
 *
 *   username:$7$<iterations>$<base64 salt>$<base64 PBKDF2-HMAC-SHA512(password, salt, iterations, 64 bytes)>
 *
 * (`$7$` is Mosquitto's tag for PBKDF2-SHA512; the salt is 12 random bytes.)
 */
import { pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { VIDEO_AI_USERNAME, VIDEO_TERMINAL_TYPES } from '../../../domain/devices';
import type { TerminalType } from '../../../domain/terminals';
import { UNIT_ORDER_KIND, UNIT_PUBLISH_KINDS, UNIT_TOPIC_PREFIX } from '../../../domain/emergency';
import { ACK_KIND, COMMAND_KIND, isTerminalId, TOPIC_KINDS, TOPIC_PREFIX, terminalTopic } from '../../../domain/topics';
import type { Credential, DeviceCredentials } from './credentials';

const HASH_TAG = '7';
const SALT_BYTES = 12;
const HASH_BYTES = 64;
/**
 * What mosquitto_passwd 2.0 writes. Device and video-AI passwords are 256-bit HMAC outputs, so
 * stretching them adds nothing against guessing, while Mosquitto pays the iterations at every
 * login of tens of thousands of devices.
 */
export const DEVICE_HASH_ITERATIONS = 101;
/** The service password is chosen by a person, so its hash is stretched properly (a few ms per login). */
export const SERVICE_HASH_ITERATIONS = 20_000;
/** A twin this large would take minutes to hash and a broker far beyond one machine. */
export const MAX_BROKER_ACCOUNTS = 1_000_000;
/** The server's own topics: terminals, and the cluster's live / events / members topics. */
export const SERVICE_TOPIC_FILTER = 'citytwin/v1/#';
/** The embedded broker's packet limit (server/devices/broker/plugin.ts), mirrored by max_packet_size. */
export const MAX_PACKET_BYTES = 64 * 1024;
/** Usernames safe in the password file (no ':'), in `%u` ACL patterns (no '/', '+', '#') and in shells. */
const USERNAME = /^[A-Za-z0-9_.@-]{1,64}$/;
/** Like the device secret (credentials.ts MIN_SECRET_LENGTH): shorter is guessable offline from the file. */
export const MIN_SERVICE_PASSWORD_LENGTH = 16;

export interface BrokerTerminal {
  id: string;
  type: TerminalType;
}

export interface PasswordHashOptions {
  /** Random bytes for the salts; injectable so tests get the same file twice. */
  randomBytes?: (size: number) => Buffer;
}

export interface MosquittoAuthInput {
  /** The twin's terminals; each becomes a device account (username = terminal id). */
  terminals: readonly BrokerTerminal[];
  /** Derives the device and video-AI passwords, as the server and its simulator do. */
  credentials: DeviceCredentials;
  /** The server's account on the broker: MQTT_USERNAME (default SERVICE_USERNAME) / MQTT_PASSWORD. */
  service: Credential;
  /** Emergency units (resource ids of crews); each becomes an account like a device. */
  units?: readonly string[];
}

export interface MosquittoConfOptions {
  /** TCP port of the listener. */
  port: number;
  /** Absolute paths of the password and ACL files as the broker host sees them. */
  passwordFile: string;
  aclFile: string;
  /** Folder Mosquitto keeps its persistence file in (sessions, retained status, queued messages). */
  persistenceDir: string;
  /** Device accounts: sizes max_connections. */
  devices: number;
}

export interface MosquittoAuthFiles {
  passwordFile: string;
  aclFile: string;
  accounts: { devices: number; cameras: number };
}

/** One password file line as mosquitto_passwd writes it. */
export function mosquittoPasswordLine(username: string, password: string, iterations: number, opts: PasswordHashOptions = {}): string {
  checkUsername(username, 'username');
  if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError(`iterations must be a positive integer, got ${iterations}`);
  const salt = (opts.randomBytes ?? randomBytes)(SALT_BYTES);
  const hash = pbkdf2Sync(password, salt, iterations, HASH_BYTES, 'sha512');
  return `${username}:$${HASH_TAG}$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export interface ParsedPasswordLine {
  username: string;
  iterations: number;
  salt: Buffer;
  hash: Buffer;
}

/** Reads a `$7$` (PBKDF2-SHA512) line; the error says what is wrong with it. */
export function parseMosquittoPasswordLine(line: string): ParsedPasswordLine {
  const colon = line.indexOf(':');
  if (colon < 1) throw new SyntaxError('a password line is "username:hash"');
  const username = line.slice(0, colon);
  const parts = line.slice(colon + 1).split('$');
  // "$7$101$salt$hash" splits into ['', '7', '101', salt, hash].
  if (parts.length !== 5 || parts[0] !== '' || parts[1] !== HASH_TAG) {
    throw new SyntaxError(`${username}: the hash is not a Mosquitto 2 "$7$" (PBKDF2-SHA512) hash`);
  }
  const iterations = Number(parts[2]);
  if (!Number.isInteger(iterations) || iterations < 1) throw new SyntaxError(`${username}: bad iteration count "${parts[2]}"`);
  const salt = Buffer.from(parts[3]!, 'base64');
  const hash = Buffer.from(parts[4]!, 'base64');
  if (salt.length === 0 || hash.length !== HASH_BYTES) throw new SyntaxError(`${username}: the salt or hash has the wrong length`);
  return { username, iterations, salt, hash };
}

/** Whether `password` matches a password file line, as Mosquitto checks a login. */
export function verifyMosquittoPassword(line: string, password: string): boolean {
  const { iterations, salt, hash } = parseMosquittoPasswordLine(line);
  return timingSafeEqual(pbkdf2Sync(password, salt, iterations, HASH_BYTES, 'sha512'), hash);
}

/** The password file and the ACL file for a twin's terminals and the two accounts. */
export function mosquittoAuthFiles(input: MosquittoAuthInput, opts: PasswordHashOptions = {}): MosquittoAuthFiles {
  const { terminals, credentials, service } = input;
  checkAccounts(terminals, service);
  const videoAi = credentials.account(VIDEO_AI_USERNAME);
  const lines = [
    mosquittoPasswordLine(service.username, service.password, SERVICE_HASH_ITERATIONS, opts),
    mosquittoPasswordLine(videoAi.username, videoAi.password, DEVICE_HASH_ITERATIONS, opts),
  ];
  for (const terminal of terminals) {
    const device = credentials.device(terminal.id);
    lines.push(mosquittoPasswordLine(device.username, device.password, DEVICE_HASH_ITERATIONS, opts));
  }
  for (const unitId of input.units ?? []) {
    const unit = credentials.unit(unitId);
    lines.push(mosquittoPasswordLine(unit.username, unit.password, DEVICE_HASH_ITERATIONS, opts));
  }
  const cameras = terminals.filter((t) => VIDEO_TERMINAL_TYPES.includes(t.type)).map((t) => t.id);
  return {
    passwordFile: lines.join('\n') + '\n',
    aclFile: mosquittoAcl(service.username, cameras),
    accounts: { devices: terminals.length + (input.units?.length ?? 0), cameras: cameras.length },
  };
}

/**
 * The ACL. Mosquitto applies `pattern` lines to every user and a user's own `topic deny` before
 * them, so the device rules are five patterns with %u (the username, which is the terminal id)
 * and the video-AI account denies itself the device topics named after it. `read` covers both
 * subscribing and receiving: a device may subscribe to '#' but is delivered its commands only.
 * A shared subscription (`$share/<group>/<filter>`) is checked on its filter.
 */
export function mosquittoAcl(serviceUsername: string, cameraIds: readonly string[]): string {
  const lines = [
    '# citytwin broker ACL (Mosquitto 2), generated by `citytwin broker-config`; mirrors domain/devices.ts.',
    '',
    '# The server: ingest (shared subscriptions), commands, cluster live/events/members topics.',
    `user ${serviceUsername}`,
    `topic readwrite ${SERVICE_TOPIC_FILTER}`,
    '',
    '# The video-AI system: detections on the events topic of camera terminals, nothing else.',
    `user ${VIDEO_AI_USERNAME}`,
    `topic deny ${TOPIC_PREFIX}/${VIDEO_AI_USERNAME}/#`,
    ...cameraIds.map((id) => `topic write ${terminalTopic(id, 'events')}`),
    '',
    '# Every device (username = terminal id): publishes its own telemetry, status (and will) and',
    '# events and its command acks, reads its own command topic.',
    ...[...TOPIC_KINDS, ACK_KIND].map((kind) => `pattern write ${TOPIC_PREFIX}/%u/${kind}`),
    `pattern read ${TOPIC_PREFIX}/%u/${COMMAND_KIND}`,
    '',
    '# Every emergency unit (username = its resource id): publishes its own position and status,',
    '# reads its own orders. (A device could publish under a unit id equal to its terminal id; the',
    '# twin refuses a resource id that is also a terminal id, so the server ignores those.)',
    ...UNIT_PUBLISH_KINDS.map((kind) => `pattern write ${UNIT_TOPIC_PREFIX}/%u/${kind}`),
    `pattern read ${UNIT_TOPIC_PREFIX}/%u/${UNIT_ORDER_KIND}`,
  ];
  return lines.join('\n') + '\n';
}

/** Every line of the configuration after the listener. */
function mosquittoSettings(opts: Omit<MosquittoConfOptions, 'port'>): string[] {
  for (const [name, value] of [
    ['passwordFile', opts.passwordFile],
    ['aclFile', opts.aclFile],
    ['persistenceDir', opts.persistenceDir],
  ] as const) {
    if (!value.startsWith('/') || /\s/.test(value)) throw new RangeError(`${name} must be an absolute path without spaces, got "${value}"`);
  }
  if (!Number.isInteger(opts.devices) || opts.devices < 0) throw new RangeError(`devices must be a non-negative integer, got ${opts.devices}`);
  // Room for every device twice over (a reconnect arrives before the broker notices the old
  // socket is dead) plus the servers and tools; beyond that it is a flood, not the fleet.
  const maxConnections = 2 * opts.devices + 1000;
  return [
    'allow_anonymous false',
    `password_file ${opts.passwordFile}`,
    `acl_file ${opts.aclFile}`,
    '',
    '# Sessions, retained status and queued QoS 1 messages survive a broker restart.',
    'persistence true',
    `persistence_location ${opts.persistenceDir.endsWith('/') ? opts.persistenceDir : `${opts.persistenceDir}/`}`,
    'autosave_interval 60',
    '# A stopped server instance leaves its persistent ingest session in the shared subscription',
    '# group, where it keeps being handed its share of messages; drop such sessions after an hour.',
    'persistent_client_expiration 1h',
    '',
    `max_connections ${maxConnections}`,
    '# The ingest session receives every device\'s messages: a deep queue carries it over a pause',
    '# (100,000 ~ 50 s of 10,000 devices at one message per 5 s), bounded in bytes per client.',
    'max_queued_messages 100000',
    'max_queued_bytes 67108864',
    'max_inflight_messages 1000',
    '# Whole MQTT packets, as the embedded broker limits them; payloads over 4 KB are refused by the ingest.',
    `max_packet_size ${MAX_PACKET_BYTES}`,
    'set_tcp_nodelay true',
  ];
}

/** A complete mosquitto.conf for `mosquitto -c`. */
export function mosquittoConf(opts: MosquittoConfOptions): string {
  if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) throw new RangeError(`port must be an integer in 1..65535, got ${opts.port}`);
  return [
    '# Mosquitto 2 configuration for citytwin, generated by `citytwin broker-config`; see docs/devices.md.',
    'per_listener_settings false',
    `listener ${opts.port}`,
    ...mosquittoSettings(opts),
  ].join('\n') + '\n';
}

function checkUsername(username: string, where: string): void {
  if (!USERNAME.test(username)) {
    throw new RangeError(`${where} "${username}" must be 1–64 letters, digits or the characters _ . @ -`);
  }
}

/** Refuses a service username unusable in the files, or a weak password. The message names which. */
export function checkServiceAccount(service: Credential): void {
  checkUsername(service.username, 'the service username');
  if (service.username === VIDEO_AI_USERNAME) throw new RangeError(`the service username cannot be the video-AI account's "${VIDEO_AI_USERNAME}"`);
  if (service.password.length < MIN_SERVICE_PASSWORD_LENGTH) {
    throw new RangeError(`the service password must be at least ${MIN_SERVICE_PASSWORD_LENGTH} characters, got ${service.password.length}`);
  }
  if (/[\r\n]/.test(service.password)) throw new RangeError('the service password must be one line');
}

/** Refuses what would give two accounts one name, or too many accounts. */
function checkAccounts(terminals: readonly BrokerTerminal[], service: Credential): void {
  checkServiceAccount(service);
  if (terminals.length > MAX_BROKER_ACCOUNTS) {
    throw new RangeError(`${terminals.length} terminals is more than the ${MAX_BROKER_ACCOUNTS} accounts one broker configuration holds`);
  }
  const seen = new Set<string>([service.username, VIDEO_AI_USERNAME]);
  for (const [i, terminal] of terminals.entries()) {
    if (!isTerminalId(terminal.id)) throw new RangeError(`terminal [${i}]: "${terminal.id}" is not a valid terminal id`);
    if (seen.has(terminal.id)) {
      const clash = terminal.id === service.username || terminal.id === VIDEO_AI_USERNAME ? 'an account name' : 'another terminal';
      throw new RangeError(`terminal [${i}]: "${terminal.id}" is already used by ${clash}`);
    }
    seen.add(terminal.id);
  }
}
