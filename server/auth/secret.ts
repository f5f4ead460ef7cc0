/**
 * The token signing secret: `CITYTWIN_SECRET` when set (at least 32 characters), else 32 random
 * bytes generated once into `<data dir>/secret` (mode 0600) so tokens survive restarts.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SECRET_FILE = 'secret';

export function loadSecret(dataDir: string, fromEnv = process.env.CITYTWIN_SECRET): Buffer {
  if (fromEnv !== undefined && fromEnv !== '') {
    if (fromEnv.length < 32) throw new RangeError('CITYTWIN_SECRET must be at least 32 characters');
    return Buffer.from(fromEnv, 'utf8');
  }
  const file = path.join(dataDir, SECRET_FILE);
  try {
    const hex = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(hex)) return Buffer.from(hex, 'hex');
    throw new RangeError(`${file} must hold 64 hex characters; delete it to generate a new secret`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = randomBytes(32);
  // 'wx' fails if another process created it meanwhile; then its secret is the one to use.
  try {
    writeFileSync(file, secret.toString('hex'), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadSecret(dataDir, fromEnv);
    throw err;
  }
  return secret;
}
