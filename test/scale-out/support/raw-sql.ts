// SQL text through the services' own Kysely instance (its pool, its PgBouncer
// handling), from tests outside the storage package, which cannot import kysely.
import type { OpenDatabase } from '@analytics-engine/storage';

type Executor = Pick<OpenDatabase['db'], 'executeQuery' | 'selectNoFrom'>;

/** Runs `text` as one statement on `executor` (the database, or a transaction) and returns its rows. */
export async function rawQuery<R>(executor: Executor, text: string, parameters: unknown[] = []): Promise<R[]> {
  // A compiled query of Kysely's own, with the text and parameters swapped in.
  const template = executor.selectNoFrom((eb) => eb.val(1).as('x')).compile();
  const result = await executor.executeQuery<R>({ ...template, sql: text, parameters });
  return [...result.rows];
}
