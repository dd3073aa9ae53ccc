// Adoption: a database the Python stack's Alembic history created upgrades
// without "relation already exists". That history is shared with services that
// are not ours, so alembic_version may be at any revision of the chain (or one
// this project has never heard of): the three tables are what is checked. Their
// structure must match; then the comments and created_at indexes are ensured,
// every row is brought to the current shape with its plaintext secrets sealed
// (row-pass.ts), and only then is the first migration recorded as applied, so
// an interrupted adoption simply runs again. Tables that are not ours, and
// alembic_version, are never touched.
import { ALEMBIC_REVISION, addPersistentStorageComments } from '@analytics-engine/migrations';
import { sql, type Kysely } from 'kysely';
import { MigrationError } from './errors.js';
import { expectedTables, isGuideTable } from './expected-schema.js';
import { compareSchema, inspectSchema } from './inspect-schema.js';
import { passOverRows, type RowPassOptions, type TableTally } from './row-pass.js';

/** The shared chain's revisions (../shared/reference/upstream-python-stack.md); only the first touches our tables. */
export const KNOWN_ALEMBIC_REVISIONS = [
  '20251221_062048',
  '20251228_153000',
  '20251229_153900',
  '20260201_113600',
] as const;

export async function alembicRevision(db: Kysely<any>): Promise<string | undefined> {
  const exists = await sql<{ present: boolean }>`select to_regclass('alembic_version') is not null as present`.execute(
    db,
  );
  if (!exists.rows[0]?.present) return undefined;
  const row = await sql<{ version_num: string }>`select version_num from alembic_version limit 1`.execute(db);
  return row.rows[0]?.version_num;
}

export const isKnownRevision = (revision: string): boolean =>
  (KNOWN_ALEMBIC_REVISIONS as readonly string[]).includes(revision);

/** The line that says an unknown revision is adopted on the strength of the tables alone. */
export function unknownRevisionLine(revision: string): string {
  return (
    `alembic_version is at ${revision}, a revision this project does not know ` +
    `(it knows ${KNOWN_ALEMBIC_REVISIONS.join(', ')}): the three tables decide; they are adopted if they match`
  );
}

/** Whether the next upgrade adopts: an Alembic revision and no migration of ours recorded yet. */
export async function adoptionDue(conn: Kysely<any>): Promise<string | undefined> {
  const revision = await alembicRevision(conn);
  return revision === undefined || (await anyMigrationRecorded(conn)) ? undefined : revision;
}

export interface AdoptionOptions extends RowPassOptions {
  readonly log?: ((line: string) => void) | undefined;
}

/** Runs inside the migration session. True when it adopted the database. */
export async function adoptAlembicDatabase(conn: Kysely<any>, options: AdoptionOptions): Promise<boolean> {
  const revision = await adoptionDue(conn);
  if (revision === undefined) return false;
  const { log } = options;
  if (!isKnownRevision(revision)) log?.(unknownRevisionLine(revision));
  const differences = compareSchema(await inspectSchema(conn), new Set())
    .filter((check) => check.difference !== undefined && check.aspect !== 'comments')
    .map((check) => `${check.subject}: ${check.difference ?? ''}`);
  if (differences.length > 0) {
    throw new MigrationError(
      'drift',
      `cannot adopt the Alembic-created tables (alembic_version ${revision}), their structure differs: ` +
        differences.join('; '),
    );
  }
  await conn.transaction().execute(completeAdoptedTables);
  log?.(
    `adopted the tables created by Alembic revision ${ALEMBIC_REVISION}; every row kept ` +
      `(alembic_version stays at ${revision})`,
  );
  const started = process.hrtime.bigint();
  const tallies = await passOverRows(conn, options);
  log?.(adoptionSummary(tallies, Number(process.hrtime.bigint() - started) / 1e9));
  return true;
}

/** One line: what the row pass did, how long it took and the process's peak memory. */
export function adoptionSummary(tallies: readonly TableTally[], seconds: number): string {
  const sum = (pick: (tally: TableTally) => number) => tallies.reduce((total, tally) => total + pick(tally), 0);
  const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  return (
    `adoption: ${sum((t) => t.rows)} rows, ${sum((t) => t.mapped)} mapped to the current shape, ` +
    `${sum((t) => t.sealed)} plaintext secret(s) sealed, ${sum((t) => t.incomplete)} need completion; ` +
    `${seconds.toFixed(1)} s, peak RSS ${peakRssMiB} MiB`
  );
}

/** What adoption adds to Alembic's tables: our comments, and any missing created_at index. */
export async function completeAdoptedTables(db: Kysely<any>): Promise<void> {
  await addPersistentStorageComments(db);
  for (const table of expectedTables.filter(isGuideTable)) {
    // Only the indexes made with the table: later migrations, which run after adoption, make their own.
    for (const index of table.indexes.filter((i) => i.method === 'btree' && i.since === table.since)) {
      await sql`create index if not exists ${sql.id(index.name)} on ${sql.table(table.name)} \
(${sql.ref(index.column)})`.execute(db);
    }
  }
}

async function anyMigrationRecorded(conn: Kysely<any>): Promise<boolean> {
  const exists = await sql<{ present: boolean }>`select to_regclass('kysely_migration') is not null as present`.execute(
    conn,
  );
  if (!exists.rows[0]?.present) return false;
  const rows = await sql<{ n: string }>`select count(*) as n from kysely_migration`.execute(conn);
  return Number(rows.rows[0]?.n ?? 0) > 0;
}
