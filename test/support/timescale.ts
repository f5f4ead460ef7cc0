/**
 * Whether the TimescaleDB extension is installed in the PostgreSQL the tests start (PG_BIN's
 * pg_config says where extensions live). `.ci/run` installs the Apache-2 build committed under
 * `.ci/timescaledb/`, so in CI its absence fails the run (test/support/services.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PG_BIN } from './postgres';
import { serviceAvailable } from './services';

function timescaleControlFile(): string | undefined {
  const pgConfig = path.join(PG_BIN, 'pg_config');
  if (!existsSync(pgConfig)) return undefined;
  const share = execFileSync(pgConfig, ['--sharedir'], { encoding: 'utf8' }).trim();
  return path.join(share, 'extension', 'timescaledb.control');
}

const control = timescaleControlFile();

export const TIMESCALE_AVAILABLE = serviceAvailable(
  'TimescaleDB',
  control !== undefined && existsSync(control),
  '.ci/timescaledb/install.sh installs the Apache-2 build from .ci/timescaledb/',
);
