// The throw-away benchmark database: created on the server of DATABASE_URL,
// dropped at the end. Only databases named ae_bench_* are ever touched.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  readonly name: string;
  /** URL of the new database. */
  readonly url: string;
  /** One connection for seeding, EXPLAIN and checks. */
  readonly client: pg.Client;
  drop(): Promise<void>;
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `ae_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    name,
    url,
    client,
    async drop() {
      await client.end().catch(() => undefined);
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

/**
 * Between operations: a query the load generator gave up on keeps running on
 * the server and would slow the next operation down, so active statements on
 * the bench database are cancelled and the server is waited for. Returns how
 * many were cancelled.
 */
export async function settle(client: pg.Client, timeoutMs = 30_000): Promise<number> {
  const others = `datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'`;
  const cancelled = await client.query(`SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE ${others}`);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const active = await client.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE ${others}`);
    if (active.rows[0]?.n === '0') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return cancelled.rowCount ?? 0;
}
