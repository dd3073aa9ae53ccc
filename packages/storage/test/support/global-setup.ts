// Starts (or finds) PostgreSQL once per test run and migrates a template database
// once; every test file then clones it (CREATE DATABASE ... TEMPLATE), so files are
// isolated, run in parallel and start in milliseconds.
//
// Where PostgreSQL comes from, in order: TEST_DATABASE_URL (CI, or any server you
// point it at); else a local server on 127.0.0.1:5432 as user postgres, if one
// answers; else a testcontainers PostgreSQL when a Docker engine runs. Only
// databases named ae_test_* are ever created or dropped.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { databaseConfigFromEnv } from '../../src/database/config.js';
import { openDatabase } from '../../src/database/open-database.js';
import { upgrade } from '../../src/migrator/migrator.js';
import { databaseUrl } from './database-url.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A URL of the server with the maintenance database, for CREATE/DROP DATABASE. */
    adminUrl: string;
    /** A database migrated to head, to clone. */
    templateDatabase: string;
    /** Prefix of every database this run creates, so teardown finds them all. */
    runPrefix: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { adminUrl, stop } = await startServer();
  const runPrefix = `ae_test_${randomBytes(3).toString('hex')}`;
  const templateDatabase = `${runPrefix}_template`;

  await withClient(adminUrl, (admin) => admin.query(`create database ${templateDatabase}`));
  const database = await openDatabase(databaseConfigFromEnv({ DATABASE_URL: databaseUrl(adminUrl, templateDatabase) }));
  try {
    await upgrade(database.db, 'head');
  } finally {
    await database.close();
  }

  project.provide('adminUrl', adminUrl);
  project.provide('templateDatabase', templateDatabase);
  project.provide('runPrefix', runPrefix);

  return async () => {
    await withClient(adminUrl, async (admin) => {
      const { rows } = await admin.query<{ datname: string }>('select datname from pg_database where datname like $1', [
        `${runPrefix}%`,
      ]);
      for (const { datname } of rows) await admin.query(`drop database if exists ${datname} with (force)`);
    });
    await stop();
  };
}

const LOCAL_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

async function startServer(): Promise<{ adminUrl: string; stop: () => Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) return { adminUrl: url, stop: async () => {} };
  if (await answers(LOCAL_SERVER)) {
    console.info(`TEST_DATABASE_URL is not set: testing against the local server ${LOCAL_SERVER}`);
    return { adminUrl: LOCAL_SERVER, stop: async () => {} };
  }
  try {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:15-alpine').start();
    return {
      adminUrl: container.getConnectionUri(),
      stop: async () => {
        await container.stop();
      },
    };
  } catch (error) {
    throw new Error(
      'No PostgreSQL for the tests: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) ' +
        `or run a Docker engine for testcontainers (${(error as Error).message})`,
    );
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    await withClient(url, (admin) => admin.query('select 1'));
    return true;
  } catch {
    return false;
  }
}

/** One connection for `work`, always closed afterwards. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
