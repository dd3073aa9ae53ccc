// Adoption: a database where the Python service's Alembic migration already
// created the tables (alembic_version = 20251221_062048) upgrades without
// "relation already exists". Its structure is checked, the comments and
// created_at indexes are ensured, and the first migration is recorded as applied.
// Every row stays; alembic_version is left as it was.
import { ALEMBIC_REVISION, addPersistentStorageComments } from '@analytics-engine/migrations';
import { sql, type Kysely } from 'kysely';
import { MigrationError } from './errors.js';
import { expectedTables, isGuideTable } from './expected-schema.js';
import { compareSchema, inspectSchema } from './inspect-schema.js';

export async function alembicRevision(db: Kysely<any>): Promise<string | undefined> {
  const exists = await sql<{ present: boolean }>`select to_regclass('alembic_version') is not null as present`.execute(db);
  if (!exists.rows[0]?.present) return undefined;
  const row = await sql<{ version_num: string }>`select version_num from alembic_version limit 1`.execute(db);
  return row.rows[0]?.version_num;
}

/** Runs inside the migration session. True when it adopted the database. */
export async function adoptAlembicDatabase(conn: Kysely<any>, log?: (line: string) => void): Promise<boolean> {
  const revision = await alembicRevision(conn);
  if (revision === undefined || (await anyMigrationRecorded(conn))) return false;
  if (revision !== ALEMBIC_REVISION) {
    throw new MigrationError(
      'drift',
      `alembic_version is at ${revision}, but this project can adopt only ${ALEMBIC_REVISION}: bring the Python history there first`,
    );
  }
  const differences = compareSchema(await inspectSchema(conn), new Set())
    .filter((check) => check.difference !== undefined && check.aspect !== 'comments')
    .map((check) => `${check.subject}: ${check.difference ?? ''}`);
  if (differences.length > 0) {
    throw new MigrationError(
      'drift',
      `cannot adopt the Alembic-created tables, their structure differs: ${differences.join('; ')}`,
    );
  }
  await conn.transaction().execute(completeAdoptedTables);
  log?.(`adopted the tables created by Alembic revision ${ALEMBIC_REVISION}; every row kept`);
  return true;
}

/** What adoption adds to Alembic's tables: our comments, and any missing created_at index. */
export async function completeAdoptedTables(db: Kysely<any>): Promise<void> {
  await addPersistentStorageComments(db);
  for (const table of expectedTables.filter(isGuideTable)) {
    for (const index of table.indexes.filter((i) => i.method === 'btree')) {
      await sql`create index if not exists ${sql.id(index.name)} on ${sql.table(table.name)} (${sql.ref(index.column)})`.execute(db);
    }
  }
}

async function anyMigrationRecorded(conn: Kysely<any>): Promise<boolean> {
  const exists = await sql<{ present: boolean }>`select to_regclass('kysely_migration') is not null as present`.execute(conn);
  if (!exists.rows[0]?.present) return false;
  const rows = await sql<{ n: string }>`select count(*) as n from kysely_migration`.execute(conn);
  return Number(rows.rows[0]?.n ?? 0) > 0;
}
