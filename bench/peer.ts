// The peer (issue 18): Platformatic's generated REST API over the same two
// tables, in the same run as the services and the bare server. Its packages
// are a separate npm project in bench/peer (exact versions, package-lock.json),
// not part of the pnpm workspace; the first use installs them with npm ci.
// startPeer runs bench/peer-server.ts as a child with the services' pool size;
// request() turns one of our operations into the same request against the
// peer's routes: the same ids (taken from operation.next), and for creates the
// same document, which Platformatic stores in the jsonb column.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import { captureOutput } from './child-output.js';
import type { Entity, Operation, OperationName } from './operations.js';
import { ROOT, startScript, type Child } from './processes.js';

export const PEER_DIR = join(ROOT, 'bench', 'peer');
/** The dependencies of bench/peer/package.json: present in node_modules once installed. */
const PEER_PACKAGES = ['fastify', '@platformatic/sql-mapper', '@platformatic/sql-openapi'] as const;
/** What the peer serves: Platformatic generates more, these are what our operations map onto. */
export const PEER_OPERATIONS: readonly OperationName[] = ['get', 'create'];

export interface Peer extends Child {
  /** Whether request() can map this operation. */
  serves(operation: Pick<Operation, 'name'>): boolean;
  /** The peer's equivalent of operation.next(seeded); throws for operations it does not serve. */
  request(operation: Operation, seeded: number): autocannon.Request;
}

/**
 * Platformatic's names for the tables: the entity's plural as the path, the
 * columns camelCased (profile_data -> profileData, proposal_id -> proposalId).
 */
interface PeerRoute {
  readonly path: string;
  /** The key's member in our create body. */
  readonly ourKey: string;
  /** The key's member in Platformatic's body. */
  readonly peerKey: string;
  /** The jsonb column's member in Platformatic's body. */
  readonly dataField: string;
}

const ROUTES: Record<Entity, PeerRoute> = {
  profiles: { path: '/connectorProfiles', ourKey: 'id', peerKey: 'id', dataField: 'profileData' },
  proposals: { path: '/serviceProposals', ourKey: 'proposal_id', peerKey: 'proposalId', dataField: 'proposalData' },
};
const jsonHeaders = { 'content-type': 'application/json' };

export function peerRequest(operation: Operation, seeded: number): autocannon.Request {
  const route = ROUTES[operation.entity];
  switch (operation.name) {
    case 'get': {
      // Our get is GET <path>/<seeded id>: the same random id, on the peer's path.
      const path = operation.next(seeded).path ?? '';
      const id = path.slice(path.lastIndexOf('/') + 1);
      return { method: 'GET', path: `${route.path}/${id}` };
    }
    case 'create': {
      // Our create body is the document with its key among the members (a new,
      // unique id per request); Platformatic takes the key and the jsonb column.
      const body = operation.next(seeded).body;
      const { [route.ourKey]: id, ...document } = JSON.parse(String(body)) as Record<string, unknown>;
      return {
        method: 'POST',
        path: route.path,
        headers: jsonHeaders,
        body: JSON.stringify({ [route.peerKey]: id, [route.dataField]: document }),
      };
    }
    case 'patch':
    case 'list-newest':
    case 'list-jsonb':
    case 'list-range':
      throw new Error(`peer: ${operation.entity} ${operation.name} is not measured against the peer`);
  }
}

function installed(): boolean {
  return PEER_PACKAGES.every((name) => existsSync(join(PEER_DIR, 'node_modules', ...name.split('/'), 'package.json')));
}

/**
 * npm ci from package-lock.json. No install scripts: the two in the tree
 * (better-sqlite3's native build, protobufjs' version check) are not needed for
 * PostgreSQL, and the native build would try to download a prebuilt binary.
 */
async function install(log: (line: string) => void): Promise<void> {
  log('peer: installing Platformatic into bench/peer/node_modules (npm ci, first run only) ...');
  const started = performance.now();
  const args = ['ci', '--prefix', PEER_DIR, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];
  const child = spawn('npm', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = captureOutput(child, 20_000);
  const outcome = await new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.once('error', (error) => {
      resolve({ code: null, error });
    });
    child.once('close', (code) => {
      resolve({ code });
    });
  });
  if (outcome.error !== undefined || outcome.code !== 0 || !installed()) {
    const why = outcome.error ? outcome.error.message : `exit code ${outcome.code ?? '-'}`;
    throw new Error(
      `peer: installing the peer's packages failed (npm ${args.join(' ')}: ${why}). ` +
        `Run \`npm ci --prefix bench/peer\` by hand to see why.\n${output()}`,
    );
  }
  log(`peer: installed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Installs the peer's packages when bench/peer/node_modules lacks them, starts
 * bench/peer-server.ts on a free port with a pool of `poolMax`, and waits for
 * its "peer ready at" line (printed once it listens, the entities loaded).
 */
export async function startPeer(
  databaseUrl: string,
  poolMax: number,
  log: (line: string) => void,
  nodeFlags: readonly string[] = [],
): Promise<Peer> {
  if (!installed()) await install(log);
  const env = { BENCH_DATABASE_URL: databaseUrl, BENCH_POOL_MAX: String(poolMax) };
  const child = await startScript('bench/peer-server.ts', env, 'peer', 'peer ready at', nodeFlags);
  return {
    ...child,
    serves: (operation) => PEER_OPERATIONS.includes(operation.name),
    request: peerRequest,
  };
}
