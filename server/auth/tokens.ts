/**
 * Login tokens: `<payload b64url>.<HMAC-SHA256 b64url>`, the payload `{sub, exp, ver}` (user id,
 * expiry in ms, the user's token version). Stateless; the server still loads the user on every
 * request, so a deactivated user or a changed role takes effect at once, and a token whose `ver`
 * is not the user's current one (bumped by a password change or a disable) is refused.
 *
 * Only the canonical encoding verifies: base64url without padding, exactly the characters the
 * signer wrote. Node's base64url decoder skips characters it does not expect, so comparing decoded
 * bytes would accept `<token>!` or `<token>=`; the signature is compared as text instead.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TOKEN_LIFETIME_MS = 12 * 3_600_000;

export interface TokenClaims {
  sub: string;
  exp: number;
  /** The user's token version when it was issued. */
  ver: number;
}

/** Unpadded base64url payload, a dot, and a 32-byte HMAC in unpadded base64url (43 characters). */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{1,900}\.[A-Za-z0-9_-]{43}$/;

function sign(payload: string, secret: Buffer): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function issueToken(
  userId: string,
  secret: Buffer,
  now: number,
  lifetimeMs = TOKEN_LIFETIME_MS,
  version = 0,
): { token: string; expiresAt: number } {
  const exp = now + lifetimeMs;
  const payload = Buffer.from(JSON.stringify({ sub: userId, exp, ver: version } satisfies TokenClaims)).toString('base64url');
  return { token: `${payload}.${sign(payload, secret)}`, expiresAt: exp };
}

/** The claims of a valid, unexpired token; undefined for anything else. */
export function verifyToken(token: string, secret: Buffer, now: number): TokenClaims | undefined {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const dot = token.indexOf('.');
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'latin1');
  const expected = Buffer.from(sign(payload, secret), 'latin1');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const { sub, exp, ver = 0 } = (claims ?? {}) as Partial<TokenClaims>;
  if (typeof sub !== 'string' || typeof exp !== 'number' || exp <= now || !Number.isInteger(ver)) return undefined;
  return { sub, exp, ver };
}
