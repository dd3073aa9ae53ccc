// A PgBouncer 1.18 of the test's own, in transaction pooling mode and otherwise
// PgBouncer's defaults, on a free port with its configuration in a temporary
// directory, in front of a PostgreSQL server. PgBouncer refuses to run as root,
// so under root it drops to the `postgres` OS user (-u).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../bench/processes.js';

export interface PgBouncer {
  readonly port: number;
  /** Its process, for CPU figures. */
  readonly pid: number | undefined;
  /** The same server URL, through PgBouncer. */
  url(serverUrl: string): string;
  /** Everything it logged. */
  output(): string;
  stop(): Promise<void>;
}

const BINARIES = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer', '/usr/local/bin/pgbouncer'];

export function pgbouncerBinary(): string {
  const found = process.env.PGBOUNCER_BIN ?? BINARIES.find((path) => existsSync(path));
  if (!found) throw new Error('pgbouncer is not installed (apt-get install -y pgbouncer; .ci/run installs it)');
  return found;
}

/** Starts PgBouncer in front of the server `serverUrl` names (its host, port, user and password). */
export async function startPgBouncer(serverUrl: string): Promise<PgBouncer> {
  const server = new URL(serverUrl);
  const dir = mkdtempSync(join(tmpdir(), 'ae-pgbouncer-'));
  const port = await freePort();
  const user = decodeURIComponent(server.username || 'postgres');
  const password = decodeURIComponent(server.password);
  writeFileSync(join(dir, 'users.txt'), `"${user}" "${password}"\n`);
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      // Any database name: the server's database of the same name.
      `* = host=${server.hostname} port=${server.port || '5432'}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${String(port)}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      'ignore_startup_parameters = extra_float_digits',
      '',
    ].join('\n'),
  );
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const ids = postgresIds();
    for (const path of [dir, join(dir, 'users.txt'), join(dir, 'pgbouncer.ini')]) chownSync(path, ids.uid, ids.gid);
  }
  const child = spawn(pgbouncerBinary(), [...(asRoot ? ['-u', 'postgres'] : []), join(dir, 'pgbouncer.ini')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-50_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const stopOnExit = () => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopOnExit);
  const bouncer: PgBouncer = {
    port,
    pid: child.pid,
    url(serverUrlOfDatabase) {
      const url = new URL(serverUrlOfDatabase);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    output: () => output,
    async stop() {
      process.off('exit', stopOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        // SIGINT: PgBouncer's "safe shutdown" waits for clients; SIGTERM closes everything now.
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await untilListening(port, child);
  } catch (error) {
    await bouncer.stop();
    throw new Error(`PgBouncer did not start: ${(error as Error).message}\n${output}`);
  }
  return bouncer;
}

async function untilListening(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`it exited with ${String(child.exitCode)}`);
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('not listening after 10 s');
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

function postgresIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}
