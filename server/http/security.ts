/**
 * Request hardening (docs/security.md): security headers on every response, a default body
 * limit for routes that set none, a per-address rate limit on /api/* with a stricter one for
 * login, and the table of every registered route for the policy audit.
 *
 * Register it first: its onRoute hooks (body limit, rate limit, route table) see only the routes
 * added after it.
 *
 * The Content-Security-Policy names no outside host at all (the operation centre runs offline).
 * What it does allow is what the client needs: CesiumJS starts its workers from blob: URLs,
 * decodes Draco and KTX2 with WebAssembly, and its bundled Knockout and protobuf.js evaluate
 * strings as code when the module loads ('unsafe-eval': without it the twin does not start);
 * textures arrive as data: and blob: URLs; the one inline script in index.html (Cesium's base
 * URL) is admitted by its hash, read from the built page at start, so injected inline scripts
 * and scripts from anywhere else stay refused. API answers get `default-src 'none'`: JSON, CSV
 * and SVG results are data, never a page that may run anything.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import rateLimit, { type errorResponseBuilderContext } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Errors } from '../errors';
import { isApiRequest, routedPath } from '../http/routedPath';

export interface RateLimitOptions {
  /** Requests one address may make per window. */
  max: number;
  timeWindowMs: number;
}

export interface SecurityPluginOptions {
  /**
   * Reverse proxies whose X-Forwarded-For names the client (addresses, CIDR ranges, or
   * `loopback`, `linklocal`, `uniquelocal`); default env CITYTWIN_TRUST_PROXY, comma-separated.
   * Read by buildApp through `trustedProxies` (it is a Fastify constructor option): without it,
   * every request behind a proxy comes from the proxy and shares its rate limits.
   */
  trustProxy?: readonly string[];
  /** Built client folder: the hashes of index.html's inline scripts join the CSP. */
  clientDir?: string;
  /** Strict-Transport-Security, only for deployments served over TLS; default env CITYTWIN_HSTS=1. */
  hsts?: boolean;
  /** Body limit of routes that name none; default env CITYTWIN_BODY_LIMIT_BYTES or 1 MiB. */
  bodyLimitBytes?: number;
  /** Per address on /api/*; default env CITYTWIN_RATE_LIMIT_MAX / CITYTWIN_RATE_LIMIT_WINDOW_S or 3000 a minute. */
  rateLimit?: RateLimitOptions;
  /** Per address on POST /api/auth/login; default env CITYTWIN_LOGIN_RATE_MAX (per minute) or 20 a minute. */
  loginRateLimit?: RateLimitOptions;
  /** Where env defaults are read; tests pass their own. */
  env?: NodeJS.ProcessEnv;
}

/** A route as registered: method and URL pattern (`/api/cases/:id`). */
export interface RouteEntry {
  method: string;
  url: string;
}

/** What the rest of the server reads from this plugin. */
export interface Security {
  /** The login route's limit, in @fastify/rate-limit's route config form. */
  readonly loginRateLimit: { max: number; timeWindow: number };
  readonly bodyLimitBytes: number;
  /** Every route registered after this plugin, HEAD included, in registration order. */
  routes(): readonly RouteEntry[];
}

declare module 'fastify' {
  interface FastifyInstance {
    security: Security;
  }
}

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { max: 3000, timeWindowMs: 60_000 };
export const DEFAULT_LOGIN_RATE_LIMIT: RateLimitOptions = { max: 20, timeWindowMs: 60_000 };

/** Headers every response carries, page or API. */
const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  // The inspector's phone page asks for the device position; nothing needs the rest.
  'permissions-policy': 'geolocation=(self), camera=(), microphone=(), payment=(), usb=(), serial=(), bluetooth=(), midi=(), interest-cohort=()',
};

const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const HSTS = 'max-age=31536000; includeSubDomains';

/** The page CSP: same origin only, plus what CesiumJS needs (see the file comment). */
export function pageCsp(inlineScriptHashes: readonly string[] = []): string {
  // 'unsafe-eval' covers WebAssembly compilation too ('wasm-unsafe-eval' alone would suffice for it).
  const scripts = ["'self'", "'unsafe-eval'", ...inlineScriptHashes.map((h) => `'${h}'`)];
  return [
    "default-src 'self'",
    `script-src ${scripts.join(' ')}`,
    "worker-src 'self' blob:",
    "img-src 'self' data: blob:",
    "media-src 'self' data: blob:",
    "font-src 'self' data:",
    // Vue and Cesium set style attributes on the elements they create.
    "style-src 'self' 'unsafe-inline'",
    // 'self' covers the live WebSocket on the same host and port (CSP Level 3).
    "connect-src 'self' data: blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** `sha256-…` of each inline `<script>` (one without src) in an HTML page, as CSP hashes them. */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc\s*=/i.test(match[1]!)) continue;
    hashes.push(`sha256-${createHash('sha256').update(match[2]!, 'utf8').digest('base64')}`);
  }
  return hashes;
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** The trusted proxies for Fastify's `trustProxy`, checked; undefined trusts none. */
export function trustedProxies(option: readonly string[] | undefined, env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const fromEnv = option === undefined;
  const list = option ?? (env.CITYTWIN_TRUST_PROXY ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  for (const entry of list) {
    const [address, bits, ...rest] = entry.split('/');
    const ipVersion = isIP(address ?? '');
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (ipVersion === 6 ? 128 : 32));
    if (!(PROXY_NAMES.has(entry) || (ipVersion !== 0 && bitsOk && rest.length === 0))) {
      const source = fromEnv ? 'env CITYTWIN_TRUST_PROXY' : 'security option trustProxy';
      throw new Errors.BadOption(`${source}: "${entry}" is not an IP address, a CIDR range or one of ${[...PROXY_NAMES].join(', ')}`);
    }
  }
  return list.length > 0 ? [...list] : undefined;
}

/** A positive integer from an option, else an env var, else the default; errors name the source. */
function positiveInt(value: number | undefined, option: string, env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const fromEnv = value === undefined && env[name] !== undefined && env[name] !== '';
  const raw = value ?? (fromEnv ? Number(env[name]) : undefined);
  if (raw === undefined) return fallback;
  if (!Number.isInteger(raw) || raw < 1) {
    const source = fromEnv ? `env ${name}` : `security option ${option}`;
    throw new Errors.BadOption(`${source} must be a positive integer, got ${JSON.stringify(fromEnv ? env[name] : value)}`);
  }
  return raw;
}

function windowText(ms: number): string {
  if (ms % 3_600_000 === 0) return ms === 3_600_000 ? 'hour' : `${ms / 3_600_000} hours`;
  if (ms % 60_000 === 0) return ms === 60_000 ? 'minute' : `${ms / 60_000} minutes`;
  return `${ms / 1000} s`;
}

export default fp<SecurityPluginOptions>(
  async (app, opts) => {
    const env = opts.env ?? process.env;
    const hsts = opts.hsts ?? env.CITYTWIN_HSTS === '1';
    const bodyLimitBytes = positiveInt(opts.bodyLimitBytes, 'bodyLimitBytes', env, 'CITYTWIN_BODY_LIMIT_BYTES', DEFAULT_BODY_LIMIT_BYTES);
    const api: RateLimitOptions = {
      max: positiveInt(opts.rateLimit?.max, 'rateLimit.max', env, 'CITYTWIN_RATE_LIMIT_MAX', DEFAULT_RATE_LIMIT.max),
      timeWindowMs:
        opts.rateLimit?.timeWindowMs ?? 1000 * positiveInt(undefined, '', env, 'CITYTWIN_RATE_LIMIT_WINDOW_S', DEFAULT_RATE_LIMIT.timeWindowMs / 1000),
    };
    const login: RateLimitOptions = {
      max: positiveInt(opts.loginRateLimit?.max, 'loginRateLimit.max', env, 'CITYTWIN_LOGIN_RATE_MAX', DEFAULT_LOGIN_RATE_LIMIT.max),
      timeWindowMs: opts.loginRateLimit?.timeWindowMs ?? DEFAULT_LOGIN_RATE_LIMIT.timeWindowMs,
    };
    for (const [name, ms] of [['rateLimit.timeWindowMs', api.timeWindowMs], ['loginRateLimit.timeWindowMs', login.timeWindowMs]] as const) {
      if (!(Number.isInteger(ms) && ms >= 1000)) throw new Errors.BadOption(`security: ${name} must be an integer of at least 1000 ms`);
    }

    let hashes: string[] = [];
    if (opts.clientDir) {
      const index = path.join(opts.clientDir, 'index.html');
      if (existsSync(index)) hashes = inlineScriptHashes(readFileSync(index, 'utf8'));
    }
    const pageHeaders = { ...COMMON_HEADERS, 'content-security-policy': pageCsp(hashes), ...(hsts ? { 'strict-transport-security': HSTS } : {}) };
    const apiHeaders = { ...pageHeaders, 'content-security-policy': API_CSP };

    // Set before anything runs, so refusals (401, 404, 413, 429) and errors carry them too.
    app.addHook('onRequest', async (request, reply) => {
      reply.headers(isApiRequest(request) ? apiHeaders : pageHeaders);
    });

    const routes: RouteEntry[] = [];
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) routes.push({ method, url: route.url });
      route.bodyLimit ??= bodyLimitBytes;
    });

    await app.register(rateLimit, {
      global: true,
      max: api.max,
      timeWindow: api.timeWindowMs,
      // Only the API: static files and the twin are cheap, and a wall of screens loads thousands of tiles.
      // Decided on the routed path, so percent-encoding the URL does not leave the limit behind.
      allowList: (request: FastifyRequest) => !isApiRequest(request),
      errorResponseBuilder: (request: FastifyRequest, context: errorResponseBuilderContext) => {
        const own = request.routeOptions.config.rateLimit;
        const window = typeof own !== 'object' ? windowText(api.timeWindowMs) : typeof own.timeWindow === 'number' ? windowText(own.timeWindow) : String(own.timeWindow);
        const scope = typeof own === 'object' ? `${request.method} ${routedPath(request)}` : '/api/*';
        return new Errors.RateLimited(`too many requests: ${scope} allows ${context.max} per ${window} from one address; retry in ${context.after}`);
      },
    });

    app.decorate<Security>('security', {
      loginRateLimit: { max: login.max, timeWindow: login.timeWindowMs },
      bodyLimitBytes,
      routes: () => routes,
    });
  },
  { name: 'citytwin-security', fastify: '5.x' },
);
