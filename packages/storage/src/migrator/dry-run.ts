// Dry runs: the migration functions run against a Kysely whose driver executes
// nothing and records every statement, so a dry run changes nothing and takes no lock.
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type CompiledQuery,
} from 'kysely';

export async function recordStatements(run: (db: Kysely<any>) => Promise<void>): Promise<string[]> {
  const statements: string[] = [];
  const recorder = new Kysely<any>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
    log: (event) => {
      statements.push(inlineParameters(event.query));
    },
  });
  await run(recorder);
  return statements;
}

/** The statement as one would paste it into psql: parameters written as literals. */
function inlineParameters(query: CompiledQuery): string {
  const text = query.sql.replace(/\$(\d+)/g, (_, index: string) => literal(query.parameters[Number(index) - 1]));
  return text.replace(/\s+/g, ' ').trim();
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  const text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : JSON.stringify(value);
  return `'${text.replaceAll("'", "''")}'`;
}
