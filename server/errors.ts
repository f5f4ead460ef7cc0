/**
 * The server's one catalogue of error codes, and the root handlers that turn errors into replies.
 *
 * Clients see `{ statusCode, code, error, message }`. For 4xx the message is meant for them (what
 * was wrong with the request); for 5xx they get a plain "Internal Server Error" and the details
 * go to the log only, so internals never leak.
 */
import { STATUS_CODES } from 'node:http';
import createError from '@fastify/error';
import type { FastifyError, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import { DomainError, type DomainReason } from '../domain/DomainError';
import { routedPath } from './http/routedPath';

/** `%s` placeholders are filled by util.format from the constructor arguments. */
export const Errors = {
  /** `new NotFound('pole', 'P00001')` → `pole "P00001" not found`. */
  NotFound: createError<'CT_NOT_FOUND', 404, [string, string]>('CT_NOT_FOUND', '%s "%s" not found', 404),
  RouteNotFound: createError<'CT_ROUTE_NOT_FOUND', 404, [string, string]>(
    'CT_ROUTE_NOT_FOUND',
    'no route for %s %s',
    404,
  ),
  /** A request parameter that passed its schema but makes no sense (e.g. bbox with west > east). */
  BadRequest: createError<'CT_BAD_REQUEST', 400, [string]>('CT_BAD_REQUEST', '%s', 400),
  /** A route that needs a login was called without one. */
  Unauthorized: createError<'CT_UNAUTHORIZED', 401, [string]>('CT_UNAUTHORIZED', '%s', 401),
  /** The twin folder given to the server is missing or is not a valid twin package. */
  TwinInvalid: createError<'CT_TWIN_INVALID', 500, [string]>('CT_TWIN_INVALID', '%s', 500),
  /** A plugin was registered with options it cannot work with. */
  BadOption: createError<'CT_BAD_OPTION', 500, [string]>('CT_BAD_OPTION', '%s', 500),
  /** The MQTT broker (embedded or external) could not be reached or started. */
  Mqtt: createError<'CT_MQTT', 500, [string]>('CT_MQTT', '%s', 500),
  /** The scenario queue is full (server/scenarios/ScenarioRunner.ts): try again later. */
  Busy: createError<'CT_BUSY', 429, [string]>('CT_BUSY', '%s', 429),
  /** One address sent more requests than a rate limit allows (server/http/security.ts). */
  RateLimited: createError<'CT_RATE_LIMITED', 429, [string]>('CT_RATE_LIMITED', '%s', 429),
  /** Every embedded video encoder is busy, or one has not started yet (server/video): retry later. */
  VideoBusy: createError<'CT_VIDEO_BUSY', 503, [string]>('CT_VIDEO_BUSY', '%s', 503),
} as const;

/**
 * What a domain refusal (domain/DomainError.ts: the case workflow, users) becomes over HTTP. The
 * reason is finer than the status: `stage` and `conflict` are both 409.
 */
const DOMAIN_HTTP: Record<DomainReason, { statusCode: number; code: string }> = {
  invalid: { statusCode: 400, code: 'CT_BAD_REQUEST' },
  unauthenticated: { statusCode: 401, code: 'CT_UNAUTHORIZED' },
  forbidden: { statusCode: 403, code: 'CT_FORBIDDEN' },
  'not-found': { statusCode: 404, code: 'CT_NOT_FOUND' },
  stage: { statusCode: 409, code: 'CT_CONFLICT' },
  conflict: { statusCode: 409, code: 'CT_CONFLICT' },
  'too-large': { statusCode: 413, code: 'CT_TOO_LARGE' },
  mismatch: { statusCode: 422, code: 'CT_UNPROCESSABLE' },
};

export interface ErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
}

/** The body every refusal has. */
export function errorBody(statusCode: number, code: string, message: string): ErrorBody {
  return { statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

/**
 * SQLSTATEs of a connection the server ended or refused: 57P01–57P03 (terminated by an operator,
 * a crash, still starting) and 53300 (too many connections); class 08 is "connection exception".
 */
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** Socket errors of a database that cannot be reached. */
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);
/** The pg driver's own messages for a connection that died, is unusable, or could not be opened in time. */
const CONNECTION_MESSAGES = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)|is not currently accepting connections/;

/** Whether an error says the database connection was lost or refused, so a retry may succeed. */
export function databaseUnavailable(err: { code?: unknown; message?: unknown }): boolean {
  const code = typeof err.code === 'string' ? err.code : '';
  if (CONNECTION_SQLSTATES.has(code) || CONNECTION_ERRNOS.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  return typeof err.message === 'string' && CONNECTION_MESSAGES.test(err.message);
}

/** Where a request field came from: the route's querystring, params or headers schema names it, else the body. */
function requestPart(request: FastifyRequest, field: string): string {
  const schema = request.routeOptions.schema as { querystring?: { properties?: object }; params?: { properties?: object }; headers?: { properties?: object } } | undefined;
  if (schema?.querystring?.properties && field in schema.querystring.properties) return 'querystring';
  if (schema?.params?.properties && field in schema.params.properties) return 'params';
  if (schema?.headers?.properties && field in schema.headers.properties) return 'headers';
  return 'body';
}

/**
 * A domain message with each field it names written as its request path, like schema errors:
 * `note is required` → `body/note is required`. The first mention of each field is the one.
 */
export function domainMessage(err: DomainError, request: FastifyRequest): string {
  let message = err.message;
  for (const field of err.fields) {
    // Fields are identifiers: no regular-expression characters to escape.
    message = message.replace(new RegExp(`(?<![\\w/])${field}(?!\\w)`), `${requestPart(request, field)}/${field}`);
  }
  return message;
}

export function rootErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err instanceof DomainError) {
    const { statusCode, code } = DOMAIN_HTTP[err.reason];
    const message = domainMessage(err, request);
    request.log.info({ code, reason: err.reason, message }, 'request rejected');
    return reply.code(statusCode).send(errorBody(statusCode, code, message));
  }
  if (err.validation) {
    // Schema validation: Fastify has already composed a message naming the part and field.
    return reply.code(400).send(errorBody(400, 'CT_BAD_REQUEST', err.message));
  }
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    // Fastify's own message does not say what the limit is (server/http/security.ts sets it).
    const limit = request.routeOptions.bodyLimit;
    return reply.code(413).send(errorBody(413, 'CT_TOO_LARGE', `body is larger than the ${limit} bytes ${request.method} ${routedPath(request)} accepts`));
  }
  if (!(err.statusCode && err.statusCode < 500) && databaseUnavailable(err)) {
    // A lost or refused database connection passes: the client should retry (with its
    // idempotency key), not report a bug. The pool opens a fresh connection for the next request.
    request.log.warn({ code: err.code, message: err.message }, 'database unavailable');
    return reply.code(503).header('retry-after', '1').send(errorBody(503, 'CT_DB_UNAVAILABLE', 'the database is unavailable; retry in a moment'));
  }
  if (err.code === 'CT_VIDEO_BUSY') {
    // A capacity refusal, not a fault: the client is told why and when to come back.
    return reply.code(503).header('retry-after', '5').send(errorBody(503, err.code, err.message));
  }
  const statusCode = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
  if (statusCode >= 500) {
    request.log.error({ err }, 'request failed');
    return reply.code(statusCode).send(errorBody(statusCode, 'CT_INTERNAL', 'Internal Server Error'));
  }
  request.log.info({ code: err.code, message: err.message }, 'request rejected');
  return reply.code(statusCode).send(errorBody(statusCode, err.code ?? 'CT_BAD_REQUEST', err.message));
}

/**
 * What a pattern-checked parameter should look like, by field name: a regular expression in an
 * error message helps nobody calling the API.
 */
const PATTERN_HINTS: Record<string, string> = {
  bbox: 'four numbers west,south,east,north in degrees, e.g. 113.6,22.7,113.7,22.8',
  code: 'a 16-digit component code: county (6) + class (4) + serial (6)',
  classCode: 'a 4-digit component class, major + minor, e.g. 0101',
};

/**
 * Fastify's `schemaErrorFormatter`: one line naming the request part and field, e.g.
 * `querystring/status must be one of unknown, normal, warning, fault, offline`.
 */
export function schemaErrorFormatter(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const parts = errors.slice(0, 3).map((e) => {
    const where = `${dataVar}${e.instancePath}`;
    const field = e.instancePath.split('/').pop() ?? '';
    const hint = e.keyword === 'pattern' ? PATTERN_HINTS[field] : undefined;
    if (hint) return `${where} must be ${hint}`;
    const allowed = e.params.allowedValues;
    if (e.keyword === 'enum' && Array.isArray(allowed)) return `${where} must be one of ${allowed.join(', ')}`;
    return `${where} ${e.message ?? 'is invalid'}`;
  });
  return new Error(parts.join('; '));
}
