// A primary and a streaming replica of the test's own (the machine's PostgreSQL
// allows no replication connections): the primary from initdb (the fault tests'
// dedicated cluster), the replica from it with `pg_basebackup -R`, each started
// with pg_ctl on a free port in a temporary directory. Under root the
// PostgreSQL tools run as the `postgres` OS user, as initdb insists.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../../../bench/processes.js';
import { postgresBinDir, startDedicatedCluster, type DedicatedCluster } from '../../support/dedicated-cluster.js';

const run = promisify(execFile);

export interface Replica {
  readonly port: number;
  url(database: string): string;
  /** `pg_ctl stop -m fast`: its sessions are ended, new connections refused. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** pg_wal_replay_pause() / pg_wal_replay_resume(): it stays up and answers, but stops (or resumes) replaying. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** SIGSTOP / SIGCONT to all its processes: it hangs as a server behind a network partition does. */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  /** Its replay position, e.g. '0/3000148'. */
  replayed(): Promise<string>;
  destroy(): Promise<void>;
}

export interface Replication {
  readonly primary: DedicatedCluster;
  readonly replica: Replica;
  destroy(): Promise<void>;
}

export async function startReplication(): Promise<Replication> {
  const binDir = postgresBinDir();
  const primary = await startDedicatedCluster();
  let replica: Replica;
  try {
    replica = await startReplica(binDir, primary.port);
  } catch (error) {
    await primary.destroy();
    throw error;
  }
  return {
    primary,
    replica,
    async destroy() {
      try {
        await replica.destroy();
      } finally {
        await primary.destroy();
      }
    },
  };
}

async function startReplica(binDir: string, primaryPort: number): Promise<Replica> {
  const dir = mkdtempSync(join(tmpdir(), 'ae-replica-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, ...(await postgresIds()));
  const data = join(dir, 'data');
  const log = join(dir, 'log');
  const port = await freePort();
  const tool = (name: string, args: string[]) => {
    const binary = join(binDir, name);
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
    return run(file, argv, { timeout: 120_000 });
  };
  const running = () => existsSync(join(data, 'postmaster.pid'));
  const options = `-p ${String(port)} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir}`;
  const url = (database: string) => `postgres://postgres@127.0.0.1:${String(port)}/${database}`;
  const onReplica = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url('postgres'), connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const stopOnExit = () => {
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopOnExit);

  const replica: Replica = {
    port,
    url,
    async stop() {
      await tool('pg_ctl', ['-D', data, 'stop', '-m', 'fast', '-w', '-t', '60']);
    },
    async start() {
      await tool('pg_ctl', ['-D', data, 'start', '-w', '-t', '60', '-l', log, '-o', options]);
    },
    async pauseReplay() {
      await onReplica((client) => client.query('select pg_wal_replay_pause()'));
    },
    async resumeReplay() {
      await onReplica((client) => client.query('select pg_wal_replay_resume()'));
    },
    freeze: () => signalAll(data, 'SIGSTOP'),
    thaw: () => signalAll(data, 'SIGCONT'),
    replayed: () =>
      onReplica(async (client) => {
        const { rows } = await client.query<{ lsn: string }>('select pg_last_wal_replay_lsn()::text as lsn');
        return rows[0]?.lsn ?? '';
      }),
    async destroy() {
      process.off('exit', stopOnExit);
      try {
        if (running()) await tool('pg_ctl', ['-D', data, 'stop', '-m', 'immediate', '-w', '-t', '30']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  try {
    // -R writes primary_conninfo and standby.signal; the WAL of the copy streams along (-X stream, the default).
    await tool('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', data, '-R']);
    await replica.start();
    return replica;
  } catch (error) {
    const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
    await replica.destroy();
    throw new Error(`cannot start a streaming replica: ${(error as Error).message}\n${text}`);
  }
}

/** The postmaster (first line of postmaster.pid) and its children. */
async function signalAll(data: string, signal: NodeJS.Signals): Promise<void> {
  const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  // Stopping: the postmaster first, so that it forks nothing the list below would miss.
  if (signal === 'SIGSTOP') process.kill(postmaster, signal);
  const children = (await run('pgrep', ['-P', String(postmaster)]).catch(() => ({ stdout: '' }))).stdout;
  for (const pid of children.split('\n').filter(Boolean)) process.kill(Number(pid), signal);
  if (signal !== 'SIGSTOP') process.kill(postmaster, signal);
}

async function postgresIds(): Promise<[number, number]> {
  const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
  return [await id('-u'), await id('-g')];
}
