/**
 * Login tokens: `<payload b64url>.<HMAC-SHA256 b64url>`, the payload `{sub, exp}` (user id,
 * expiry in ms). Stateless; the server still loads the user on every request, so a deactivated
 * user or a changed role takes effect at once.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TOKEN_LIFETIME_MS = 12 * 3_600_000;

export interface TokenClaims {
  sub: string;
  exp: number;
}

function sign(payload: string, secret: Buffer): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function issueToken(userId: string, secret: Buffer, now: number, lifetimeMs = TOKEN_LIFETIME_MS): { token: string; expiresAt: number } {
  const exp = now + lifetimeMs;
  const payload = Buffer.from(JSON.stringify({ sub: userId, exp } satisfies TokenClaims)).toString('base64url');
  return { token: `${payload}.${sign(payload, secret)}`, expiresAt: exp };
}

/** The claims of a valid, unexpired token; undefined for anything else. */
export function verifyToken(token: string, secret: Buffer, now: number): TokenClaims | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 1024) return undefined;
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = Buffer.from(sign(payload, secret), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const { sub, exp } = (claims ?? {}) as Partial<TokenClaims>;
  if (typeof sub !== 'string' || typeof exp !== 'number' || exp <= now) return undefined;
  return { sub, exp };
}
