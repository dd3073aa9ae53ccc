// A fresh test database holding what a live Python-era database holds, and the
// witnesses the takeover tests read it with: row counts, pg_dump of the tables
// that are not ours, and the raw rows.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import type pg from 'pg';
import { createTestDatabase, withClient, type TestDatabase } from '@analytics-engine/storage/testing';
import { createPythonSchema, foreignTables, type Revision } from './python-schema.js';
import { clients, profiles, proposals, type LegacyRow } from './legacy-rows.js';

const run = promisify(execFile);
const PG_DUMP = existsSync('/usr/lib/postgresql/15/bin/pg_dump') ? '/usr/lib/postgresql/15/bin/pg_dump' : 'pg_dump';

export const GUIDE_TABLES = [
  { table: 'connector_profiles', key: 'id', data: 'profile_data', rows: profiles },
  { table: 'client_configs', key: 'client_id', data: 'config_data', rows: clients },
  { table: 'service_proposals', key: 'proposal_id', data: 'proposal_data', rows: proposals },
] as const;

export interface PythonDatabase {
  readonly test: TestDatabase;
  readonly revision: Revision;
  /** The tables that are not ours, alembic_version included. */
  readonly foreign: string[];
}

/** A database at `revision` of the shared chain (alembic_version holding `version`, default that revision), rows in. */
export async function pythonDatabase(revision: Revision, version: string = revision): Promise<PythonDatabase> {
  const test = await createTestDatabase({ migrated: false });
  await withClient(test.url, async (client) => {
    await createPythonSchema(client, revision, version);
    for (const { table, key, data, rows } of GUIDE_TABLES) await insertRows(client, table, key, data, rows);
  });
  return { test, revision, foreign: foreignTables(revision) };
}

async function insertRows(
  client: pg.Client,
  table: string,
  key: string,
  data: string,
  rows: readonly LegacyRow[],
): Promise<void> {
  for (const row of rows) {
    await client.query(`insert into ${table} (${key}, ${data}, created_at) values ($1, $2::jsonb, $3)`, [
      row.key,
      JSON.stringify(row.data),
      row.createdAt,
    ]);
  }
}

/** pg_dump of the given tables (structure and rows), as text to compare byte for byte. */
export async function dumpTables(url: string, tables: readonly string[]): Promise<string> {
  const { stdout } = await run(
    PG_DUMP,
    ['--no-owner', '--no-privileges', '--restrict-key=takeover', ...tables.map((table) => `--table=${table}`), url],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return stdout;
}

export async function rowCounts(url: string): Promise<Record<string, number>> {
  return withClient(url, async (client) => {
    const counts: Record<string, number> = {};
    for (const { table } of GUIDE_TABLES) {
      counts[table] = Number((await client.query<{ n: string }>(`select count(*) as n from ${table}`)).rows[0]?.n);
    }
    return counts;
  });
}

/** The stored documents of a table, as text, by key. */
export async function rawDocuments(
  url: string,
  table: string,
  key: string,
  data: string,
): Promise<Map<string, string>> {
  return withClient(url, async (client) => {
    const result = await client.query<{ key: string; text: string }>(
      `select ${key} as key, ${data}::text as text from ${table}`,
    );
    return new Map(result.rows.map((row) => [row.key, row.text]));
  });
}
