/**
 * The one check every browser test file ends with: each page it opened stayed offline (no request
 * to another host) and logged no console error and threw no uncaught exception. A message a test
 * provokes on purpose is let through only by an exact pattern with the reason beside it, so an
 * unexpected error still fails the file.
 */
import { expect } from 'vitest';
import type { OfflinePage } from '../../support/browser';

/** A console error a test causes on purpose, matched exactly, and why it is expected. */
export interface ExpectedError {
  pattern: RegExp;
  why: string;
}

/** The errors of `session` that no expected pattern explains. */
export function unexpectedErrors(session: Pick<OfflinePage, 'errors'>, expected: readonly ExpectedError[] = []): string[] {
  return session.errors.filter((e) => !expected.some((x) => x.pattern.test(e)));
}

/** Fails unless every page stayed offline without console errors or page errors. */
export function expectCleanPages(sessions: ReadonlyArray<Pick<OfflinePage, 'errors' | 'foreignRequests'>>, expected: readonly ExpectedError[] = []): void {
  sessions.forEach((session, i) => {
    expect(session.foreignRequests, `page ${i + 1}: requests to other hosts`).toEqual([]);
    expect(unexpectedErrors(session, expected), `page ${i + 1}: console errors and page errors`).toEqual([]);
  });
}

/** `text` as a regular expression that matches exactly it. */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Chromium's console error for a request to exactly `url` answered with one of `statuses`. */
export function failedResource(url: string, statuses: readonly number[]): RegExp {
  return new RegExp(`^console: Failed to load resource: the server responded with a status of (${statuses.join('|')}) \\([^)]*\\) \\(at ${escapeRegExp(url)}\\)$`);
}
