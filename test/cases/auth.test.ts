/**
 * Password hashing (scrypt), signed tokens (HMAC-SHA256) and the signing secret's storage.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../server/auth/passwords';
import { loadSecret } from '../../server/auth/secret';
import { issueToken, verifyToken } from '../../server/auth/tokens';

describe('passwords', () => {
  it('hashes with a fresh salt and verifies only the right password', async () => {
    const a = await hashPassword('correct horse', 10);
    const b = await hashPassword('correct horse', 10);
    expect(a).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horsE', a)).toBe(false);
    expect(await verifyPassword('correct horse', 'scrypt$10$8$1$AAAA$BBBB')).toBe(false);
    expect(await verifyPassword('correct horse', 'md5$abc')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$40$8$1$AAAA$BBBB')).toBe(false);
    await expect(hashPassword('x', 4)).rejects.toThrow('scrypt cost log2 N must be 10..20');
  });
});

describe('tokens', () => {
  const secret = Buffer.alloc(32, 7);
  it('accepts its own unexpired tokens and nothing else', () => {
    const { token, expiresAt } = issueToken('user-1', secret, 1000, 5000);
    expect(expiresAt).toBe(6000);
    expect(verifyToken(token, secret, 5999)).toEqual({ sub: 'user-1', exp: 6000, ver: 0 });
    expect(verifyToken(token, secret, 6000)).toBeUndefined();
    expect(verifyToken(token, Buffer.alloc(32, 8), 2000)).toBeUndefined();
    const [payload, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'admin', exp: 9e15 })).toString('base64url');
    expect(verifyToken(`${forged}.${mac}`, secret, 2000)).toBeUndefined();
    expect(verifyToken(`${payload}.`, secret, 2000)).toBeUndefined();
    expect(verifyToken('garbage', secret, 2000)).toBeUndefined();
  });
});

describe('signing secret', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('generates one secret into the data folder, keeps it private, and reuses it', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'citytwin-secret-'));
    const first = loadSecret(dir, undefined);
    expect(first).toHaveLength(32);
    expect((await stat(path.join(dir, 'secret'))).mode & 0o777).toBe(0o600);
    expect(loadSecret(dir, undefined).equals(first)).toBe(true);
    expect(await readFile(path.join(dir, 'secret'), 'utf8')).toBe(first.toString('hex'));
  });

  it('prefers CITYTWIN_SECRET, refusing short ones and corrupt files', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'citytwin-secret-'));
    expect(loadSecret(dir, 'k'.repeat(32)).toString()).toBe('k'.repeat(32));
    expect(() => loadSecret(dir!, 'short')).toThrow('CITYTWIN_SECRET must be at least 32 characters');
    await writeFile(path.join(dir, 'secret'), 'not hex');
    expect(() => loadSecret(dir!, undefined)).toThrow(/must hold 64 hex characters/);
  });
});
