/**
 * The database schema as numbered migrations, one list per dialect. A migration runs once, in a
 * transaction, and is recorded in `schema_migrations`; add new ones at the end, never edit old ones.
 *
 * Cases keep the columns that lists filter and sort on, plus the whole case as JSON (`data`), so
 * a new case field needs no migration. Times are ms since epoch. Flags are 0/1 integers in both
 * dialects so one query builder serves both. The audit trail refuses UPDATE and DELETE by trigger.
 *
 * Migration 2 adds the scenario queue (server/storage/scenarioStorage.ts): public fields as
 * columns (params, summary and files as JSON text), the claim (instance, heartbeat, cancel flag)
 * and result files in parts, deleted with their scenario.
 *
 * Migration 3 moves case photos into the database, so every instance sharing it serves them.
 *
 * Migration 4 keeps the hash of the request an idempotency key was first used with, so the same
 * key with another body is refused instead of answered with the first request's result.
 *
 * Migration 6 adds emergency plans and responses (server/storage/emergencyStorage.ts).
 */
import { emergencyTables } from './emergencyStorage';
import type { StorageKind } from './Storage';

const tables = (t: { serial: string; real: string; bigint: string }): string => `
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  data TEXT NOT NULL
);
CREATE TABLE cases (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  kind TEXT NOT NULL,
  category_id TEXT NOT NULL,
  department_id TEXT,
  grid_code TEXT,
  source TEXT NOT NULL,
  urgency TEXT NOT NULL,
  overdue INTEGER NOT NULL,
  escalation INTEGER NOT NULL,
  due_at ${t.bigint},
  created_at ${t.bigint} NOT NULL,
  lon ${t.real} NOT NULL,
  lat ${t.real} NOT NULL,
  component_code TEXT,
  dispatched INTEGER NOT NULL,
  handled_late INTEGER,
  reopen_count INTEGER NOT NULL,
  rating ${t.real},
  search TEXT NOT NULL,
  version INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX cases_created ON cases (created_at);
CREATE INDEX cases_status ON cases (status, created_at);
CREATE INDEX cases_department ON cases (department_id, created_at);
CREATE INDEX cases_grid ON cases (grid_code, created_at);
CREATE INDEX cases_near ON cases (category_id, lat, lon);
CREATE INDEX cases_due ON cases (due_at);
CREATE TABLE reports (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases (id),
  tracking_code TEXT UNIQUE,
  alarm_id TEXT UNIQUE,
  reported_at ${t.bigint} NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX reports_case ON reports (case_id);
CREATE TABLE case_events (
  seq ${t.serial} PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases (id),
  at ${t.bigint} NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT NOT NULL,
  note TEXT,
  data TEXT
);
CREATE INDEX case_events_case ON case_events (case_id, seq);
CREATE TABLE idempotency (
  key TEXT PRIMARY KEY,
  status_code INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at ${t.bigint} NOT NULL
);
`;

const scenarioTables = (t: { real: string; bigint: string; bytes: string }): string => `
CREATE TABLE scenarios (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  params TEXT NOT NULL,
  status TEXT NOT NULL,
  progress ${t.real} NOT NULL,
  message TEXT,
  created_at ${t.bigint} NOT NULL,
  started_at ${t.bigint},
  finished_at ${t.bigint},
  summary TEXT,
  files TEXT,
  error TEXT,
  claimed_by TEXT,
  heartbeat_at ${t.bigint},
  cancel_requested INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX scenarios_queue ON scenarios (status, created_at);
CREATE INDEX scenarios_created ON scenarios (created_at);
CREATE TABLE scenario_files (
  scenario_id TEXT NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  part INTEGER NOT NULL,
  bytes ${t.bytes} NOT NULL,
  PRIMARY KEY (scenario_id, name, part)
);
`;

const photoTable = (bytes: string): string => `
CREATE TABLE photos (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  bytes ${bytes} NOT NULL
);
`;

/** Commands to terminals (server/commands/): the record is the audit trail; lamp schedules beside them. */
const commandTables = (bigint: string): string => `
CREATE TABLE commands (
  id TEXT PRIMARY KEY,
  terminal_id TEXT NOT NULL,
  status TEXT NOT NULL,
  group_id TEXT,
  issued_by TEXT NOT NULL,
  created_at ${bigint} NOT NULL,
  updated_at ${bigint} NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX commands_terminal ON commands (terminal_id, created_at);
CREATE INDEX commands_created ON commands (created_at);
CREATE TABLE lamp_schedules (
  id TEXT PRIMARY KEY,
  updated_at ${bigint} NOT NULL,
  data TEXT NOT NULL
);
`;

export const MIGRATIONS: Record<StorageKind, string[]> = {
  sqlite: [
    tables({ serial: 'INTEGER', real: 'REAL', bigint: 'INTEGER' }) +
      `
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO counters (name, value) VALUES ('case', 0);
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
  BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
  BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
`,
    scenarioTables({ real: 'REAL', bigint: 'INTEGER', bytes: 'BLOB' }),
    photoTable('BLOB'),
    'ALTER TABLE idempotency ADD COLUMN request_hash TEXT;',
    commandTables('INTEGER'),
    emergencyTables('INTEGER'),
  ],
  postgres: [
    tables({ serial: 'BIGSERIAL', real: 'DOUBLE PRECISION', bigint: 'BIGINT' }) +
      `
CREATE SEQUENCE case_number;
CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN RAISE EXCEPTION 'case_events is append-only'; END;
$$;
CREATE TRIGGER case_events_no_change BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION case_events_append_only();
CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
  FOR EACH STATEMENT EXECUTE FUNCTION case_events_append_only();
`,
    scenarioTables({ real: 'DOUBLE PRECISION', bigint: 'BIGINT', bytes: 'BYTEA' }),
    photoTable('BYTEA'),
    'ALTER TABLE idempotency ADD COLUMN request_hash TEXT;',
    commandTables('BIGINT'),
    emergencyTables('BIGINT'),
  ],
};
