/**
 * Stream tokens: the short-lived capability on a live stream's URL. A player cannot send an
 * Authorization header with every HLS segment request (hls.js, a <video> element, a media
 * server's redirect), so `POST /api/cameras/:id/stream`, which needs a login, issues a token
 * bound to the camera and the user, and the stream's routes check it on every request.
 *
 * The token is one URL path segment (Fastify's router takes at most 100 characters per
 * parameter): base64url of [kind 1 B][expiry, s, u32][nonce 6 B][user id: 16 B UUID or UTF-8],
 * a dot, and a 128-bit HMAC-SHA256 over the camera id and those bytes. The nonce names this
 * viewer to the encoder pool (viewer counting). The key is random per server process: streams
 * are served by the instance that encodes them.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const STREAM_TOKEN_LIFETIME_MS = 10 * 60_000;
export const STREAM_TOKEN_PATTERN = '^[A-Za-z0-9_-]{16,70}\\.[A-Za-z0-9_-]{22}$';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KIND_UUID = 1;
const KIND_TEXT = 2;
/** User ids longer than this (UTF-8 bytes) do not fit a token; citytwin's are UUIDs. */
const MAX_TEXT_ID = 36;

export interface StreamClaims {
  cameraId: string;
  userId: string;
  /** Expiry, ms (whole seconds). */
  expiresAt: number;
  nonce: string;
}

export class StreamTokens {
  constructor(private readonly key: Buffer = randomBytes(32)) {}

  issue(cameraId: string, userId: string, now: number, lifetimeMs = STREAM_TOKEN_LIFETIME_MS): { token: string; claims: StreamClaims } {
    const uuid = UUID.test(userId);
    const id = uuid ? Buffer.from(userId.replace(/-/g, ''), 'hex') : Buffer.from(userId, 'utf8');
    if (!uuid && (id.length === 0 || id.length > MAX_TEXT_ID)) throw new RangeError(`user id "${userId}" does not fit a stream token`);
    const body = Buffer.alloc(11 + id.length);
    body[0] = uuid ? KIND_UUID : KIND_TEXT;
    const expiresS = Math.ceil((now + lifetimeMs) / 1000);
    body.writeUInt32BE(expiresS, 1);
    randomBytes(6).copy(body, 5);
    id.copy(body, 11);
    const payload = body.toString('base64url');
    return {
      token: `${payload}.${this.sign(cameraId, payload)}`,
      claims: { cameraId, userId, expiresAt: expiresS * 1000, nonce: body.subarray(5, 11).toString('base64url') },
    };
  }

  /** The claims of a valid, unexpired token for `cameraId`; undefined for anything else. */
  verify(token: string, cameraId: string, now: number): StreamClaims | undefined {
    const dot = token.indexOf('.');
    if (dot <= 0) return undefined;
    const payload = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'latin1');
    const expected = Buffer.from(this.sign(cameraId, payload), 'latin1');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const body = Buffer.from(payload, 'base64url');
    if (body.length < 12 || body.toString('base64url') !== payload) return undefined;
    const expiresAt = body.readUInt32BE(1) * 1000;
    if (expiresAt <= now) return undefined;
    const id = body.subarray(11);
    let userId: string;
    if (body[0] === KIND_UUID && id.length === 16) {
      const hex = id.toString('hex');
      userId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    } else if (body[0] === KIND_TEXT) userId = id.toString('utf8');
    else return undefined;
    return { cameraId, userId, expiresAt, nonce: body.subarray(5, 11).toString('base64url') };
  }

  private sign(cameraId: string, payload: string): string {
    return createHmac('sha256', this.key).update(cameraId).update('\n').update(payload).digest().subarray(0, 16).toString('base64url');
  }
}
