// `migrate verify`: the guide's verification script. Tables, columns and types,
// defaults, keys, indexes, comments, an insert/select round trip that is rolled
// back, and row counts. Any difference makes it fail, each one named.
import { sql, type Kysely } from 'kysely';
import { expectedTables, isGuideTable } from './expected-schema.js';
import { compareSchema, inspectSchema, type Check } from './inspect-schema.js';
import { migrationStatus } from './migrator.js';

export interface VerifyReport {
  readonly checks: Check[];
  readonly rowCounts: Record<string, number>;
  /** Every check that failed, as "subject: difference". */
  readonly differences: string[];
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
  checks.push(...(await roundTrip(db, tables.filter(isGuideTable).map((t) => t.name))));
  const rowCounts: Record<string, number> = {};
  for (const table of tables) {
    const result = await sql<{ n: string }>`select count(*) as n from ${sql.table(table.name)}`.execute(db);
    rowCounts[table.name] = Number(result.rows[0]?.n ?? 0);
  }
  const differences = checks.filter((c) => c.difference !== undefined).map((c) => `${c.subject}: ${c.difference ?? ''}`);
  return { checks, rowCounts, differences };
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
          await sql`insert into ${sql.table(name)} (${sql.ref(keyColumn)}, ${sql.ref(dataColumn)}) values (${key}, ${JSON.stringify(document)}::jsonb)`.execute(trx);
          const read = await sql<{ data: unknown; has_created_at: boolean }>`
            select ${sql.ref(dataColumn)} as data, created_at is not null as has_created_at
            from ${sql.table(name)} where ${sql.ref(keyColumn)} = ${key}`.execute(trx);
          const row = read.rows[0];
          const same = JSON.stringify(row?.data) === JSON.stringify(document) && row?.has_created_at === true;
          checks.push({ aspect: 'tables', subject: `${name} insert/select round trip`, difference: same ? undefined : 'read back differs' });
        } catch (error) {
          checks.push({ aspect: 'tables', subject: `${name} insert/select round trip`, difference: (error as Error).message });
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
