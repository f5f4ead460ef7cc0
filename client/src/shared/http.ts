/** JSON over HTTP from the citytwin server (same origin: the client never talks to another host). */
import { authHeaders, setSession } from './session';

export class HttpError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The error for a failed answer, with the server's message (it names the bad field). */
async function failure(url: string, response: Response, sentToken: boolean): Promise<HttpError> {
  // An expired or revoked token: forget it so the UI asks for a login again.
  if (response.status === 401 && sentToken) setSession(null);
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = (await response.json()) as { message?: string };
    if (body.message) message = body.message;
  } catch {
    // Not JSON: keep the status line.
  }
  return new HttpError(url, response.status, message);
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const auth = authHeaders();
  const response = await fetch(url, { signal, headers: { accept: 'application/json', ...auth } });
  if (!response.ok) throw await failure(url, response, 'authorization' in auth);
  return (await response.json()) as T;
}

/** Sends JSON (or nothing) and reads the JSON answer; 204 gives undefined. */
export async function sendJson<T>(
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  const auth = authHeaders();
  const headers: Record<string, string> = { accept: 'application/json', ...auth, ...extraHeaders };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw await failure(url, response, 'authorization' in auth);
  return (response.status === 204 ? undefined : await response.json()) as T;
}
