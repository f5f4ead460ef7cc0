/** JSON over HTTP from the citytwin server (same origin: the client never talks to another host). */

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

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { signal, headers: { accept: 'application/json' } });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as { message?: string };
      if (body.message) message = body.message;
    } catch {
      // Not JSON: keep the status line.
    }
    throw new HttpError(url, response.status, `${url}: ${message}`);
  }
  return (await response.json()) as T;
}

/** Sends JSON and reads the JSON answer; errors carry the server's message (it names the bad field). */
export async function sendJson<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const answer = (await response.json()) as { message?: string };
      if (answer.message) message = answer.message;
    } catch {
      // Not JSON: keep the status line.
    }
    throw new HttpError(url, response.status, message);
  }
  return (response.status === 204 ? undefined : await response.json()) as T;
}
