/**
 * A throwaway PostgreSQL server for tests: initdb into a temporary folder, start it on a free
 * port (TCP on 127.0.0.1 only), hand out its URL, then stop it and delete the folder.
 *
 * PostgreSQL refuses to run as root, so under root the binaries run as the `postgres` OS user
 * (`runuser`) and the folder is handed to that user. Durability settings are relaxed (no fsync):
 * the server is thrown away, and the tests check behaviour, not the disk.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { onPath, serviceAvailable } from './services';

const run = promisify(execFile);
/**
 * Where PostgreSQL's server binaries are: `PG_BIN`, else the newest Debian/Ubuntu install
 * (`/usr/lib/postgresql/<major>/bin`), else the folder of an `initdb` on PATH (other systems).
 */
function findPgBin(): string | undefined {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const majors = readdirSync(debian)
      .filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(path.join(debian, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (majors[0]) return path.join(debian, majors[0], 'bin');
  }
  const initdb = onPath('initdb');
  return initdb ? path.dirname(initdb) : undefined;
}

export const PG_BIN = findPgBin() ?? '/usr/lib/postgresql/15/bin';

/** Whether PostgreSQL's binaries are here (in CI their absence fails the run: test/support/services.ts). */
export const POSTGRES_AVAILABLE = serviceAvailable('PostgreSQL', existsSync(path.join(PG_BIN, 'initdb')), 'apt-get install postgresql');

export interface TestPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  url: string;
  /** A URL for a fresh, empty database on the same server. */
  createDatabase(name: string): Promise<string>;
  /**
   * A URL whose connections see only a fresh, empty schema of the server's default database
   * (through `search_path`): cheaper than a database when each test wants a clean slate.
   */
  createSchema(name: string): Promise<string>;
  stop(): Promise<void>;
}

function checkName(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new RangeError(`name must be lower-case letters, digits and _: "${name}"`);
  return name;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface TestPostgresOptions {
  /** Libraries the server loads at start (`shared_preload_libraries`), e.g. `['timescaledb']`. */
  preload?: string[];
}

export async function startTestPostgres(opts: TestPostgresOptions = {}): Promise<TestPostgres> {
  const root = await mkdtemp(path.join(tmpdir(), 'citytwin-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(root, Number(stdout.trim()), Number(gid.trim()));
  }
  const pgRun = (bin: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(PG_BIN, bin), ...args]) : run(path.join(PG_BIN, bin), args);

  const data = path.join(root, 'data');
  const port = await freePort();
  try {
    await pgRun('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    const preload = opts.preload?.length ? ` -c shared_preload_libraries=${opts.preload.join(',')}` : '';
    const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off${preload}`;
    await pgRun('pg_ctl', ['start', '-w', '-t', '30', '-D', data, '-l', path.join(root, 'log'), '-o', options]);
  } catch (err) {
    await rm(root, { recursive: true, force: true });
    throw new Error(`could not start a test PostgreSQL in ${root}: ${(err as Error).message}`);
  }

  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const admin = async (sql: string): Promise<void> => {
    const client = new pg.Client(url);
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    url,
    async createDatabase(name: string): Promise<string> {
      await admin(`CREATE DATABASE ${checkName(name)}`);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async createSchema(name: string): Promise<string> {
      await admin(`CREATE SCHEMA ${checkName(name)}`);
      return `${url}?options=${encodeURIComponent(`-c search_path=${name}`)}`;
    },
    async stop(): Promise<void> {
      await pgRun('pg_ctl', ['stop', '-w', '-m', 'immediate', '-D', data]).catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}
