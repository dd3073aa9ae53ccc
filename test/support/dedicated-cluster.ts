// A throw-away PostgreSQL cluster of the test's own (initdb + pg_ctl on a free
// port, sockets in its temporary directory), for faults that restart the
// server (the shared cluster on 5432 is never touched), and for tests that must
// not share the cluster's state, such as its oldest running transaction.
// initdb refuses to run as root, so under root the binaries run as the
// `postgres` OS user.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../../bench/processes.js';

const run = promisify(execFile);

export interface DedicatedCluster {
  readonly port: number;
  /** URL of a database in it. */
  url(database: string): string;
  createDatabase(name: string): Promise<string>;
  restart(mode: 'fast' | 'immediate'): Promise<void>;
  /** Stops it and removes its directory; safe to call when it never started. */
  destroy(): Promise<void>;
}

/**
 * The newest PostgreSQL installed under /usr/lib/postgresql, or PG_BIN_DIR.
 * Missing binaries fail the test rather than skip it: CI must not pass without
 * the tests that need a cluster of their own.
 */
export function postgresBinDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined)
    throw new Error('no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql: set PG_BIN_DIR');
  return join(root, newest, 'bin');
}

/** Server settings beyond the defaults, passed as `-c name=value`. */
export type ClusterSettings = Readonly<Record<string, string>>;

export async function startDedicatedCluster(settings: ClusterSettings = {}): Promise<DedicatedCluster> {
  const binDir = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'ae-cluster-'));
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? await postgresUser() : undefined;
  if (ids) chownSync(dir, ids.uid, ids.gid);
  const data = join(dir, 'data');
  const pgctl = (args: string[]) => tool(binDir, 'pg_ctl', ['-D', data, ...args], asRoot);
  const port = await freePort();
  // Running exactly while its pid file exists: also after a start or restart that failed half-way.
  const running = () => existsSync(join(data, 'postmaster.pid'));
  // Should the worker exit without afterAll (a timeout, an uncaught error), the cluster still goes.
  const stopOnExit = () => {
    try {
      if (running())
        execFileSync(...command(binDir, 'pg_ctl', ['-D', data, 'stop', '-m', 'immediate', '-w', '-t', '30'], asRoot), {
          stdio: 'ignore',
        });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  process.once('exit', stopOnExit);

  const cluster: DedicatedCluster = {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async createDatabase(name) {
      const admin = new pg.Client({ connectionString: cluster.url('postgres') });
      await admin.connect();
      try {
        await admin.query(`create database ${name}`);
      } finally {
        await admin.end();
      }
      return cluster.url(name);
    },
    async restart(mode) {
      await pgctl(['restart', '-m', mode, '-w', '-t', '60', '-l', join(dir, 'log')]);
    },
    async destroy() {
      process.off('exit', stopOnExit);
      try {
        if (running()) await pgctl(['stop', '-m', 'immediate', '-w', '-t', '30']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  try {
    await tool(binDir, 'initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'], asRoot);
    const own = { listen_addresses: '127.0.0.1', unix_socket_directories: dir, fsync: 'on', ...settings };
    const options = [`-p ${port}`, ...Object.entries(own).map(([name, value]) => `-c ${name}=${value}`)].join(' ');
    await pgctl(['start', '-w', '-t', '60', '-l', join(dir, 'log'), '-o', options]);
    return cluster;
  } catch (error) {
    const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : '';
    await cluster.destroy();
    throw new Error(`cannot start a dedicated PostgreSQL cluster: ${(error as Error).message}\n${log}`);
  }
}

async function tool(binDir: string, name: string, args: string[], asPostgres: boolean): Promise<void> {
  await run(...command(binDir, name, args, asPostgres), { timeout: 120_000 });
}

/** The PostgreSQL tool's command line, through runuser when it must run as `postgres`. */
function command(binDir: string, name: string, args: string[], asPostgres: boolean): [string, string[]] {
  const binary = join(binDir, name);
  return asPostgres ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  return { uid, gid };
}
