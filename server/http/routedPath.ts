/**
 * Which path a request was routed to, for every decision that depends on it (rate limits,
 * security headers, cache rules). Never the raw URL: `/%61pi/auth/login` is routed to
 * `/api/auth/login`, so a check on `request.url` would let it skip every rule for `/api/`.
 */
import type { FastifyRequest } from 'fastify';

/** The percent-decoded path of a raw URL, without its query; the raw path when it does not decode. */
export function decodedPath(url: string): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** The route's pattern (`/api/cases/:id`) when the router matched one, else the decoded path. */
export function routedPath(request: FastifyRequest): string {
  return request.routeOptions.url ?? decodedPath(request.url);
}

/** True for the JSON API: what the router resolved starts with `/api/`. */
export function isApiRequest(request: FastifyRequest): boolean {
  return routedPath(request).startsWith('/api/');
}
