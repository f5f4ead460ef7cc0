/**
 * Broker credentials derived from one secret, so the server never stores a password list:
 *
 *   device password  = hex(HMAC-SHA256(secret, "device:" + terminalId))
 *   unit password    = hex(HMAC-SHA256(secret, "unit:" + unitId))         (emergency units)
 *   account password = hex(HMAC-SHA256(secret, "account:" + username))   (service, video-AI)
 *
 * An operator provisions a device by computing its password from the secret, for instance with
 * `printf 'device:%s' P00001-lamp | openssl dgst -sha256 -hmac "$CITYTWIN_DEVICE_SECRET" -r | cut -c1-64`,
 * and flashing it with the terminal id as username. Rotating the secret revokes every credential.
 *
 * The secret comes from CITYTWIN_DEVICE_SECRET, else from `device-secret` in the server's state
 * folder, generated (32 random bytes, mode 0600) on first start.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICE_USERNAME, VIDEO_AI_USERNAME, type Principal } from '../../../domain/devices';
import { isUnitId } from '../../../domain/emergency';
import { isTerminalId } from '../../../domain/topics';

export const DEVICE_SECRET_ENV = 'CITYTWIN_DEVICE_SECRET';
export const DEVICE_SECRET_FILE = 'device-secret';
/** A shorter secret could be guessed offline from one captured password. */
export const MIN_SECRET_LENGTH = 16;

export interface Credential {
  username: string;
  password: string;
}

/** The secret from `env`, else the state folder's file, else a new one written there. */
export function resolveDeviceSecret(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[DEVICE_SECRET_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return checkSecret(fromEnv, DEVICE_SECRET_ENV);
  const file = path.join(dataDir, DEVICE_SECRET_FILE);
  if (existsSync(file)) return checkSecret(readFileSync(file, 'utf8').trim(), file);
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

function checkSecret(secret: string, where: string): string {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new RangeError(`${where}: the device secret must be at least ${MIN_SECRET_LENGTH} characters, got ${secret.length}`);
  }
  return secret;
}

function hmacHex(secret: string, message: string): string {
  return createHmac('sha256', secret).update(message).digest('hex');
}

/** Credentials handed out and checked by the embedded broker. */
export class DeviceCredentials {
  constructor(private readonly secret: string) {
    checkSecret(secret, 'device secret');
  }

  device(terminalId: string): Credential {
    if (!isTerminalId(terminalId)) throw new RangeError(`"${terminalId}" is not a valid terminal id`);
    return { username: terminalId, password: hmacHex(this.secret, `device:${terminalId}`) };
  }

  /** An emergency unit's login (username = its resource id). */
  unit(unitId: string): Credential {
    if (!isUnitId(unitId)) throw new RangeError(`"${unitId}" is not a valid unit id`);
    return { username: unitId, password: hmacHex(this.secret, `unit:${unitId}`) };
  }

  account(username: typeof SERVICE_USERNAME | typeof VIDEO_AI_USERNAME): Credential {
    return { username, password: hmacHex(this.secret, `account:${username}`) };
  }

  /**
   * Who a CONNECT's username and password identify, or undefined when they are wrong.
   * `isTerminal` says whether a username names a terminal of the twin, `isUnit` an emergency unit.
   */
  authenticate(username: string | undefined, password: Buffer | undefined, isTerminal: (id: string) => boolean, isUnit: (id: string) => boolean = () => false): Principal | undefined {
    if (!username || !password) return undefined;
    let expected: Credential;
    let principal: Principal;
    if (username === SERVICE_USERNAME) {
      expected = this.account(SERVICE_USERNAME);
      principal = { role: 'service', username };
    } else if (username === VIDEO_AI_USERNAME) {
      expected = this.account(VIDEO_AI_USERNAME);
      principal = { role: 'video-ai' };
    } else if (isTerminalId(username) && isTerminal(username)) {
      expected = this.device(username);
      principal = { role: 'device', terminalId: username };
    } else if (isUnitId(username) && isUnit(username)) {
      expected = this.unit(username);
      principal = { role: 'unit', unitId: username };
    } else {
      return undefined;
    }
    const want = Buffer.from(expected.password);
    // Compared in constant time, so a wrong guess tells nothing about how close it was.
    return password.length === want.length && timingSafeEqual(password, want) ? principal : undefined;
  }
}
