import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ConfigError, databaseConfigFromEnv, openDatabase, redactDatabaseUrl } from '../src/index.js';
import { adminQuery, createTestDatabase } from './support/test-database.js';

describe('openDatabase on PostgreSQL', () => {
  it('survives the server killing its idle connections, and heals', async () => {
    const test = await createTestDatabase();
    const errors: Error[] = [];
    const config = databaseConfigFromEnv({ DATABASE_URL: test.url }, `pool-test-${test.name}`);
    const database = await openDatabase(config, { onConnectionError: (error) => errors.push(error) });
    try {
      await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.05)`.execute(database.db)));
      await adminQuery(
        `select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'pool-test-${test.name}'`,
      );
      await expect.poll(() => errors.length).toBeGreaterThan(0);
      const after = await sql<{ ok: number }>`select 1 as ok`.execute(database.db);
      expect(after.rows).toEqual([{ ok: 1 }]);
    } finally {
      await database.close();
    }
  });

  it('applies the statement timeout', async () => {
    const test = await createTestDatabase();
    const database = await test.open({ DATABASE_STATEMENT_TIMEOUT_MS: '200' });
    try {
      await expect(sql`select pg_sleep(2)`.execute(database.db)).rejects.toMatchObject({ code: '57014' });
    } finally {
      await database.close();
    }
  });
});

describe('database configuration', () => {
  it('fails with one line naming the variable', () => {
    expect(() => databaseConfigFromEnv({ DATABASE_URL: 'mysql://x' })).toThrow(
      new ConfigError('invalid DATABASE_URL: must start with postgres:// or postgresql://'),
    );
    expect(() => databaseConfigFromEnv({ DATABASE_POOL_MAX: 'lots' })).toThrow(/^invalid DATABASE_POOL_MAX: /);
  });

  it('treats an empty DATABASE_URL as unset and never shows a password', () => {
    expect(databaseConfigFromEnv({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
    expect(redactDatabaseUrl('postgres://app:s3cret@db:5432/analytics_engine')).toBe(
      'postgres://app:***@db:5432/analytics_engine',
    );
  });
});
