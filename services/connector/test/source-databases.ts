// Scratch source databases for the connector suites, on the machine's PostgreSQL
// and MariaDB: each suite makes its own, fills it with its SQL, and drops it.
import mysql from 'mysql2/promise';
import { adminQuery, createTestDatabase, withClient } from '@analytics-engine/storage/testing';

export interface ScratchPostgres {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  drop(): Promise<void>;
}

/** An empty database on the test server, `setup` run in it as its owner. */
export async function scratchPostgres(setup: string): Promise<ScratchPostgres> {
  const { name, url } = await createTestDatabase({ migrated: false });
  await withClient(url, (client) => client.query(setup));
  return {
    name,
    url,
    port: Number(new URL(url).port || 5432),
    drop: async () => {
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

export const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root' } as const;

/** One root connection to MariaDB for `work` (in `database` when named), always closed afterwards. */
export async function withMaria<T>(
  work: (connection: mysql.Connection) => Promise<T>,
  options: { database?: string; multipleStatements?: boolean } = {},
): Promise<T> {
  const connection = await mysql.createConnection({ ...MARIADB, ...options });
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}
