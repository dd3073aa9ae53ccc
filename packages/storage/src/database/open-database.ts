// One factory for both modes: a node-postgres pool when DATABASE_URL is set,
// embedded PGlite in DATA_DIR when it is not. Everything above runs unchanged.
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { redactDatabaseUrl, type DatabaseConfig } from './config.js';
import { lockDataDir } from './data-dir-lock.js';
import { poolConnections, rememberPool } from './pool-connections.js';
import { PGliteDialect } from './pglite-dialect.js';
import { openReadReplicas, type ReadReplicas } from '../replicas/read-replicas.js';
import type { Database } from './tables.js';

export type DatabaseMode = 'postgres' | 'embedded';

export interface OpenDatabase {
  readonly db: Kysely<Database>;
  readonly mode: DatabaseMode;
  /** Where the data lives, without secrets: the redacted URL or the data directory. */
  readonly location: string;
  /** The pg pool's counts at this moment, for metrics; absent in embedded mode (one connection, no pool). */
  readonly poolStats?: () => PoolStats;
  /** DATABASE_READ_URL's replicas, which read routes may read from; absent without any. */
  readonly replicas?: ReadReplicas;
  close(): Promise<void>;
}

export interface PoolStats {
  /** Connections open, idle or in use. */
  readonly size: number;
  readonly idle: number;
  /** Queries waiting for a connection. */
  readonly waiting: number;
  /** The most connections the pool opens (DATABASE_POOL_MAX). */
  readonly max: number;
}

export interface OpenDatabaseOptions {
  /**
   * Called when an idle or checked-out connection fails in the background (the
   * server restarted, a backend was terminated). Without a listener node-postgres
   * would crash the process; the pool replaces the connection on its own.
   */
  onConnectionError?: (error: Error) => void;
}

export async function openDatabase(config: DatabaseConfig, options: OpenDatabaseOptions = {}): Promise<OpenDatabase> {
  return config.databaseUrl ? openPostgres(config, config.databaseUrl, options) : openEmbedded(config);
}

function openPostgres(config: DatabaseConfig, url: string, options: OpenDatabaseOptions): OpenDatabase {
  const onError = options.onConnectionError ?? (() => {});
  const pool = new pg.Pool({
    connectionString: url,
    max: config.poolMax,
    connectionTimeoutMillis: config.connectTimeoutMs,
    idleTimeoutMillis: config.idleTimeoutMs,
    statement_timeout: config.statementTimeoutMs || undefined,
    // The client gives up shortly after the server would have: covers a server that stopped answering.
    query_timeout: config.statementTimeoutMs ? config.statementTimeoutMs + 2_000 : undefined,
    application_name: config.applicationName,
    keepAlive: true,
  });
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  const connections = poolConnections(pool, {
    preparedStatements: config.preparedStatements ?? 'auto',
    statementTimeoutMs: config.statementTimeoutMs,
  });
  const replicas = config.readUrls?.length ? openReadReplicas(config, pool, connections, onError) : undefined;
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: replicas?.pool ?? connections }) });
  rememberPool(db, connections);
  return {
    db,
    mode: 'postgres',
    location: redactDatabaseUrl(url),
    poolStats: () => ({ size: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: config.poolMax }),
    ...(replicas ? { replicas: replicas.reads } : {}),
    close: () => db.destroy(),
  };
}

async function openEmbedded(config: DatabaseConfig): Promise<OpenDatabase> {
  const lock = lockDataDir(config.dataDir);
  try {
    const pglite = await PGlite.create(join(config.dataDir, 'pgdata'));
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    return {
      db,
      mode: 'embedded',
      location: config.dataDir,
      close: async () => {
        try {
          await db.destroy();
          await pglite.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
