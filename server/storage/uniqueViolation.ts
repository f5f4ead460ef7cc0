/**
 * Turns a database's unique-constraint error (SQLite or PostgreSQL) into a UniqueViolation that
 * says which key was taken, so the service can answer "already exists" or replay an answer.
 */
import { UniqueViolation } from './Storage';

const KEYS: Array<[RegExp, UniqueViolation['what'], string]> = [
  [/idempotency/, 'idempotency', 'the idempotency key was used already'],
  [/alarm_id/, 'alarm', 'a case for this alarm exists already'],
  [/tracking_code/, 'tracking', 'the tracking code is taken'],
  [/username/, 'username', 'the username is taken'],
  [/cases/, 'case', 'the case id is taken'],
];

export function uniqueViolationOf(err: unknown): UniqueViolation | undefined {
  if (!(err instanceof Error)) return undefined;
  const code = (err as { code?: string }).code;
  // SQLite: SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY naming "table.column"; PostgreSQL: 23505 naming the constraint.
  const unique = code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
  if (!unique) return undefined;
  const text = `${err.message} ${(err as { constraint?: string }).constraint ?? ''}`;
  for (const [pattern, what, message] of KEYS) if (pattern.test(text)) return new UniqueViolation(what, message);
  return undefined;
}
