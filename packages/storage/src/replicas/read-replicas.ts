// DATABASE_READ_URL: streaming replicas that answer the reads of read routes.
// Each gets a pool like the primary's (a shorter connect timeout: a replica that
// does not answer is skipped, not waited for), a prober (replica-set.ts) and
// the routing pool over all of them (routing-pool.ts). What the HTTP layer sees:
// readAfter (run a read route's work in a read context), consistencyToken (for
// a write's answer) and status.
import pg from 'pg';
import type { PostgresPool } from 'kysely';
import type { DatabaseConfig } from '../database/config.js';
import { poolConnections, type PoolConnections } from '../database/pool-connections.js';
import { parseLsn } from './lsn.js';
import { readContexts } from './read-context.js';
import { ReplicaSet, type ReplicaStatus } from './replica-set.js';
import { routingPool } from './routing-pool.js';

/** A replica that takes longer than this to give a connection is skipped for the primary. */
const REPLICA_CONNECT_TIMEOUT_MS = 1_000;

export interface ReadReplicas {
  /**
   * Runs `work` in a read context: its single plain reads may be answered by a replica, one that replayed `token`
   * (a consistency token a write's answer carried) when one is given. A token that is not one reads the primary.
   */
  readAfter<T>(token: string | undefined, work: () => T): T;
  /** The primary's WAL insert position now: at or past the commit of every write already answered. */
  consistencyToken(): Promise<string>;
  /** Each replica's state, for readiness and metrics. */
  status(): ReplicaStatus[];
}

export interface OpenedReplicas {
  readonly reads: ReadReplicas;
  /** The pool Kysely gets instead of the primary's; ending it ends every pool and stops the probes. */
  readonly pool: PostgresPool;
}

export function openReadReplicas(
  config: DatabaseConfig,
  primaryPool: pg.Pool,
  primary: PoolConnections,
  onError: (error: Error) => void,
): OpenedReplicas {
  const settings = {
    preparedStatements: config.preparedStatements ?? 'auto',
    statementTimeoutMs: config.statementTimeoutMs,
  };
  const connectTimeoutMs = Math.min(config.connectTimeoutMs || REPLICA_CONNECT_TIMEOUT_MS, REPLICA_CONNECT_TIMEOUT_MS);
  const pools: pg.Pool[] = [];
  const replicas = (config.readUrls ?? []).map((url) => {
    const options = { ...primaryPool.options, connectionString: url, connectionTimeoutMillis: connectTimeoutMs };
    const pool = new pg.Pool(options);
    pool.on('error', onError);
    pool.on('connect', (client) => client.on('error', onError));
    pools.push(pool);
    return { url, connections: poolConnections(pool, settings), options };
  });
  const set = new ReplicaSet(replicas, {
    maxLagMs: config.readMaxLagMs ?? 1_000,
    primary: { ...primaryPool.options, connectionString: config.databaseUrl },
  });
  set.start();

  const reads: ReadReplicas = {
    readAfter(token, work) {
      const minLsn = parseLsn(token);
      return readContexts.run({ minLsn, primaryOnly: token !== undefined && minLsn === undefined }, work);
    },
    async consistencyToken() {
      const client = await primary.connect();
      try {
        const { rows } = await client.query<{ lsn: string }>('select pg_current_wal_insert_lsn()::text as lsn', []);
        const lsn = rows[0]?.lsn;
        if (lsn === undefined) throw new Error('pg_current_wal_insert_lsn() answered nothing');
        return lsn;
      } finally {
        client.release();
      }
    },
    status: () => set.status(),
  };
  const end = async () => {
    set.stop();
    await Promise.all([primary.end(), ...pools.map((pool) => pool.end())]);
  };
  return { reads, pool: routingPool(primary, set, end) };
}
