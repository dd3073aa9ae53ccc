// Per-file databases for tests: a clone of the migrated template, or an empty one
// for migrator tests. Import from '@analytics-engine/storage/testing'.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { databaseConfigFromEnv } from '../../src/database/config.js';
import { openDatabase, type OpenDatabase } from '../../src/database/open-database.js';
import { databaseUrl } from './database-url.js';
import { withClient } from './global-setup.js';

export { withClient };

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** Opens it through openDatabase, as the services do. */
  open(env?: NodeJS.ProcessEnv): Promise<OpenDatabase>;
}

/** A fresh database: migrated to head (the default), or empty with `{ migrated: false }`. */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = inject('adminUrl');
  const name = `${inject('runPrefix')}_${randomBytes(4).toString('hex')}`;
  const template = options.migrated === false ? 'template0' : inject('templateDatabase');
  await withClient(adminUrl, (admin) => admin.query(`create database ${name} template ${template}`));
  const url = databaseUrl(adminUrl, name);
  return {
    name,
    url,
    open: (env = {}) => openDatabase(databaseConfigFromEnv({ ...env, DATABASE_URL: url })),
  };
}

export interface UsedDatabase {
  readonly url: string;
  readonly database: OpenDatabase;
}

/**
 * The test file's own migrated database, opened in beforeAll and closed in
 * afterAll (after the file's own afterAll hooks): the returned object is filled in before the first test.
 */
export function useTestDatabase(): UsedDatabase {
  const context = {} as { url: string; database: OpenDatabase };
  beforeAll(async () => {
    const created = await createTestDatabase();
    context.url = created.url;
    context.database = await created.open();
  });
  afterAll(async () => {
    await context.database.close();
  });
  return context;
}

/** Runs SQL as the admin user against the server's maintenance database. */
export function adminQuery(sql: string): Promise<unknown> {
  return withClient(inject('adminUrl'), (admin) => admin.query(sql));
}
