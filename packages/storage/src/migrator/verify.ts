// `migrate verify`: the guide's verification script. Tables, columns and types,
// defaults, keys, indexes, comments, an insert/select round trip that is rolled
// back, row counts, and no secret in plaintext. Any difference makes it fail,
// each one named. Tables that are not ours (the other services' of a shared
// Python-era database, alembic_version) are listed, never judged.
import { sql, type Kysely } from 'kysely';
import { connectorProfilesTable } from '../repositories/connector-profiles.js';
import { holdsPlaintextSecret } from '../secrets/plaintext-secrets.js';
import { expectedTables, isGuideTable } from './expected-schema.js';
import { compareSchema, inspectSchema, type Check } from './inspect-schema.js';
import { migrationStatus } from './migrator.js';
import { passOverRows, type TableTally } from './row-pass.js';
import { noSealer } from './sealing-keys.js';

/** Profiles named in a failed secrets check, at most. */
const NAMED_ROWS = 20;
/** The migrator's own bookkeeping: ours too. */
const BOOKKEEPING = ['kysely_migration', 'kysely_migration_lock'];

export interface VerifyReport {
  readonly checks: Check[];
  readonly rowCounts: Record<string, number>;
  /** Every check that failed, as "subject: difference". */
  readonly differences: string[];
  /** Tables in the schema that are not ours: listed, left as they are. */
  readonly notOurs: string[];
  /** Per guide table: rows not yet stored in the current shape, and rows lacking members every write needs. */
  readonly shapes: readonly TableTally[];
}

class RollBack extends Error {}

export async function verify(db: Kysely<any>): Promise<VerifyReport> {
  const status = await migrationStatus(db);
  const applied = new Set(status.migrations.filter((m) => m.appliedAt).map((m) => m.name));
  const checks: Check[] = [
    {
      aspect: 'tables',
      subject: 'migrations at head',
      difference: status.pending.length ? `pending: ${status.pending.join(', ')}` : undefined,
    },
    ...compareSchema(await inspectSchema(db), applied),
  ];
  const present = new Set(checks.filter((c) => c.aspect === 'tables' && !c.difference).map((c) => c.subject));
  const tables = expectedTables.filter((t) => present.has(t.name));
  checks.push(
    ...(await roundTrip(
      db,
      tables.filter(isGuideTable).map((t) => t.name),
    )),
  );
  const rowCounts: Record<string, number> = {};
  for (const table of tables) {
    const result = await sql<{ n: string }>`select count(*) as n from ${sql.table(table.name)}`.execute(db);
    rowCounts[table.name] = Number(result.rows[0]?.n ?? 0);
  }
  const guideTablesPresent = tables.filter(isGuideTable).length === expectedTables.filter(isGuideTable).length;
  if (present.has(connectorProfilesTable.table)) checks.push(await plaintextSecretsCheck(db));
  const shapes = guideTablesPresent ? await passOverRows(db, { dryRun: true, sealWith: noSealer }) : [];
  const differences = checks
    .filter((c) => c.difference !== undefined)
    .map((c) => `${c.subject}: ${c.difference ?? ''}`);
  return { checks, rowCounts, differences, notOurs: await tablesNotOurs(db), shapes };
}

/** Fails while a profile holds a secret in plaintext, naming the rows (`pnpm migrate seal-secrets` seals them). */
async function plaintextSecretsCheck(db: Kysely<any>): Promise<Check> {
  const { table, keyColumn, dataColumn } = connectorProfilesTable;
  const rows = await sql<{ key: string; total: string }>`
    select ${sql.ref(keyColumn)} as key, count(*) over () as total from ${sql.table(table)}
    where ${holdsPlaintextSecret(dataColumn)} order by ${sql.ref(keyColumn)} limit ${NAMED_ROWS}`.execute(db);
  const total = Number(rows.rows[0]?.total ?? 0);
  const named = rows.rows.map((row) => `'${row.key}'`).join(', ');
  const more = total > rows.rows.length ? ` and ${total - rows.rows.length} more` : '';
  return {
    aspect: 'secrets',
    subject: `${table} secrets sealed at rest`,
    difference:
      total === 0
        ? undefined
        : `${total} row(s) hold a plaintext secret: ${named}${more}; run \`pnpm migrate seal-secrets\``,
  };
}

async function tablesNotOurs(db: Kysely<any>): Promise<string[]> {
  const ours = [...expectedTables.map((table) => table.name), ...BOOKKEEPING];
  const rows = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind in ('r', 'p', 'v', 'm', 'f')
      and c.relname not in (${sql.join(ours.map((name) => sql.lit(name)))})
    order by c.relname`.execute(db);
  return rows.rows.map((row) => row.name);
}

/** Inserts a row into each table, reads it back, and rolls everything back. */
async function roundTrip(db: Kysely<any>, tables: string[]): Promise<Check[]> {
  const checks: Check[] = [];
  const key = `__verify_${process.pid}_${Date.now()}`;
  const document = { verify: new Date().toISOString() }; // one member: JSONB reorders members
  try {
    await db.transaction().execute(async (trx) => {
      for (const name of tables) {
        const table = expectedTables.find((t) => t.name === name);
        if (!table) continue;
        const [keyColumn, dataColumn] = [table.columns[0]?.name ?? '', table.columns[1]?.name ?? ''];
        try {
          await sql`insert into ${sql.table(name)} (${sql.ref(keyColumn)}, ${sql.ref(dataColumn)}) values (${key}, \
${JSON.stringify(document)}::jsonb)`.execute(trx);
          const read = await sql<{ data: unknown; has_created_at: boolean }>`
            select ${sql.ref(dataColumn)} as data, created_at is not null as has_created_at
            from ${sql.table(name)} where ${sql.ref(keyColumn)} = ${key}`.execute(trx);
          const row = read.rows[0];
          const same = JSON.stringify(row?.data) === JSON.stringify(document) && row?.has_created_at === true;
          checks.push({
            aspect: 'tables',
            subject: `${name} insert/select round trip`,
            difference: same ? undefined : 'read back differs',
          });
        } catch (error) {
          checks.push({
            aspect: 'tables',
            subject: `${name} insert/select round trip`,
            difference: (error as Error).message,
          });
          throw new RollBack();
        }
      }
      throw new RollBack();
    });
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
  }
  return checks;
}
