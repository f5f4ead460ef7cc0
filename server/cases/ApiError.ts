/**
 * A refusal meant for the client: the root error handler (server/errors.ts) sends its status
 * and message, with a code named after the status.
 */
const CODES = { 400: 'CT_BAD_REQUEST', 401: 'CT_UNAUTHORIZED', 403: 'CT_FORBIDDEN', 404: 'CT_NOT_FOUND', 409: 'CT_CONFLICT', 413: 'CT_TOO_LARGE', 422: 'CT_UNPROCESSABLE' } as const;
export type ApiStatus = keyof typeof CODES;

export class ApiError extends Error {
  readonly code: (typeof CODES)[ApiStatus];

  constructor(
    readonly statusCode: ApiStatus,
    message: string,
  ) {
    super(message);
    this.code = CODES[statusCode];
  }
}
