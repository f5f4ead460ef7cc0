/**
 * Password hashing with scrypt (RFC 7914) from node:crypto, a random 16-byte salt per password.
 * The stored form carries its parameters, `scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>`, so the
 * cost can be raised later without invalidating stored hashes.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;
/** log2 N = 15 (32 MiB of memory, ~0.1 s): OWASP's minimum for scrypt is N = 2^17 at r = 8, p = 1 with
 *  64 MiB; 2^15 keeps logins quick on a two-core server while remaining memory-hard. */
export const DEFAULT_COST_LOG2 = 15;
/** The least cost accepted (log2 N). */
export const MIN_COST_LOG2 = 10;
/** The most cost accepted (log2 N = 20: 1 GiB of memory per hash). */
export const MAX_COST_LOG2 = 20;
const R = 8;
const P = 1;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...options, maxmem: 256 * options.N! * (options.r ?? R) }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPassword(password: string, costLog2 = DEFAULT_COST_LOG2): Promise<string> {
  if (!Number.isInteger(costLog2) || costLog2 < MIN_COST_LOG2 || costLog2 > MAX_COST_LOG2) {
    throw new RangeError(`scrypt cost log2 N must be ${MIN_COST_LOG2}..${MAX_COST_LOG2}, got ${costLog2}`);
  }
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N: 2 ** costLog2, r: R, p: P });
  return ['scrypt', costLog2, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

/** The cost (log2 N) a stored hash was made with; undefined for a malformed one. */
export function costOf(stored: string): number | undefined {
  const parts = stored.split('$');
  const cost = Number(parts[1]);
  return parts.length === 6 && parts[0] === 'scrypt' && Number.isInteger(cost) ? cost : undefined;
}

/** True when `password` matches `stored`; false for a wrong password or a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [costLog2, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (!(costLog2 >= MIN_COST_LOG2 && costLog2 <= MAX_COST_LOG2 && r >= 1 && r <= 32 && p >= 1 && p <= 16)) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (expected.length !== KEY_LENGTH) return false;
  const key = await derive(password, salt, { N: 2 ** costLog2, r, p });
  return timingSafeEqual(key, expected);
}
