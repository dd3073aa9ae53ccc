// The repositories' hot statements run as named prepared statements, and stay
// correct when the connection under them is replaced or the table changes.
import { CompiledQuery, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { registerNamedStatement } from '../src/database/named-statements.js';
import {
  databaseConfigFromEnv,
  openDatabase,
  createConnectorProfileRepository,
  createServiceProposalRepository,
  type OpenDatabase,
} from '../src/index.js';
import { adminQuery, createTestDatabase } from './support/test-database.js';

/** One connection, so the session the test inspects is the one the repository used. */
async function openSingleConnection(
  applicationName: string,
  onConnectionError?: (error: Error) => void,
): Promise<OpenDatabase> {
  const test = await createTestDatabase();
  const config = databaseConfigFromEnv({ DATABASE_URL: test.url, DATABASE_POOL_MAX: '1' }, applicationName);
  return openDatabase(config, onConnectionError ? { onConnectionError } : {});
}

async function preparedStatements(database: OpenDatabase): Promise<string[]> {
  const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(database.db);
  return rows.map((row) => row.statement);
}

const profile = { name: 'Named', type: 'sql' as const };

describe('named prepared statements', () => {
  it('prepares get, insert and locked update on the server, and never a list', async () => {
    const database = await openSingleConnection('named-hot');
    try {
      const profiles = createConnectorProfileRepository(database.db);
      await profiles.create('named-1', profile);
      expect(await profiles.get('named-1')).toMatchObject({ key: 'named-1', data: profile });
      await profiles.merge('named-1', { name: 'Renamed' });
      await profiles.list({ type: 'sql' });
      const statements = await preparedStatements(database);
      expect(statements.some((text) => /^insert into "connector_profiles"/.test(text))).toBe(true);
      expect(statements.some((text) => /^select .* from "connector_profiles" where "id" = \$1$/.test(text))).toBe(true);
      expect(statements.some((text) => /for update$/.test(text))).toBe(true);
      expect(statements.some((text) => /^update "connector_profiles"/.test(text))).toBe(true);
      expect(statements.some((text) => /order by/.test(text))).toBe(false);
      // A second run reuses the statements rather than preparing more.
      await profiles.get('named-1');
      expect(await preparedStatements(database)).toHaveLength(statements.length);
    } finally {
      await database.close();
    }
  });

  it('prepares again on a new connection after the backend was terminated', async () => {
    const errors: Error[] = [];
    const applicationName = `named-terminated-${Date.now()}`;
    const database = await openSingleConnection(applicationName, (error) => errors.push(error));
    try {
      const proposals = createServiceProposalRepository(database.db);
      expect(await proposals.get('missing')).toBeUndefined();
      const { rows: before } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db);
      await adminQuery(
        `select pg_terminate_backend(pid) from pg_stat_activity where application_name = '${applicationName}'`,
      );
      await expect.poll(() => errors.length).toBeGreaterThan(0);

      expect(await proposals.get('missing')).toBeUndefined();
      const { rows: after } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db);
      expect(after[0]?.pid).not.toBe(before[0]?.pid);
      expect(
        (await preparedStatements(database)).some((text) =>
          /from "service_proposals" where "proposal_id" = \$1$/.test(text),
        ),
      ).toBe(true);
    } finally {
      await database.close();
    }
  });

  it('drops a connection whose prepared statement went stale after a table change, and heals', async () => {
    const database = await openSingleConnection('named-stale');
    try {
      await sql`create table named_probe (id int primary key)`.execute(database.db);
      await sql`insert into named_probe values (1)`.execute(database.db);
      const text = 'select * from named_probe where id = $1';
      registerNamedStatement(text);
      const probe = () => database.db.executeQuery(CompiledQuery.raw(text, [1]));
      expect((await probe()).rows).toEqual([{ id: 1 }]);

      await sql`alter table named_probe add column note text`.execute(database.db);
      await expect(probe()).rejects.toMatchObject({ code: '0A000' });
      expect((await probe()).rows).toEqual([{ id: 1, note: null }]);
    } finally {
      await database.close();
    }
  });

  it('leaves unregistered statements unnamed', async () => {
    const database = await openSingleConnection('named-none');
    try {
      await database.db.executeQuery(CompiledQuery.raw('select $1::int as one', [1]));
      expect(await preparedStatements(database)).toEqual([]);
    } finally {
      await database.close();
    }
  });
});
