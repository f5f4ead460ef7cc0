/**
 * A refusal in the domain's own words, without HTTP: a stable reason (what kind of rule was
 * broken) and the request fields the message names. The server's root error handler
 * (server/errors.ts) gives each reason its status and code and writes each field with the part of
 * the request it came from (`note` → `body/note`), so the rules never know how they were called.
 */
export const DOMAIN_REASONS = ['invalid', 'unauthenticated', 'forbidden', 'not-found', 'stage', 'conflict', 'too-large', 'mismatch'] as const;
/**
 * `invalid`: a field breaks a rule; `unauthenticated`: no or a wrong login; `forbidden`: the
 * caller's role or department may not; `not-found`: nothing the caller may see by that id;
 * `stage`: the thing is not in a state that allows it; `conflict`: someone else got there first
 * (a version, a name, an alarm); `too-large`: a value over its size limit; `mismatch`: the
 * request contradicts an earlier one it claims to repeat (an idempotency key with another body).
 */
export type DomainReason = (typeof DOMAIN_REASONS)[number];

export class DomainError extends Error {
  /**
   * @param message names each of `fields` as is (`note is required to cancel a case`).
   * @param fields request fields the message names, the one at fault first.
   */
  constructor(
    readonly reason: DomainReason,
    message: string,
    readonly fields: readonly string[] = [],
  ) {
    super(message);
  }
}
