// The relay's side of the outbox. A relay takes a batch inside a transaction
// that holds a transaction-level advisory lock per service: one relay of a
// service publishes at a time, in position order, and a relay that dies
// mid-batch releases the lock and its rows by rolling back, so the next one
// publishes them again (at least once). Transaction-level, so it holds behind
// PgBouncer in transaction mode.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../database/tables.js';
import type { JsonObject } from '../repositories/json-merge-patch.js';

type Executor = Kysely<Database> | Transaction<Database>;

export interface PendingEvent {
  readonly position: string;
  readonly id: string;
  readonly type: string;
  readonly aggregateId: string;
  readonly event: JsonObject;
}

/**
 * Inside a transaction: the service's oldest unpublished events, or undefined
 * when another relay of the service holds the batch (its advisory lock).
 */
export async function claimPendingEvents(
  trx: Transaction<Database>,
  service: string,
  limit: number,
): Promise<PendingEvent[] | undefined> {
  const { rows } = await sql<{ leader: boolean }>`
    select pg_try_advisory_xact_lock(hashtext(${`analytics-engine outbox ${service}`})) as leader`.execute(trx);
  if (!rows[0]?.leader) return undefined;
  const pending = await trx
    .selectFrom('event_outbox')
    .select(['position', 'id', 'type', 'aggregate_id', 'event'])
    .where('service', '=', service)
    .where('published_at', 'is', null)
    .orderBy('position')
    .limit(limit)
    // No row locks: the advisory lock already makes this the service's only relay, and row locks would
    // write to every row's page once more.
    .execute();
  return pending.map((row) => ({
    position: row.position,
    id: row.id,
    type: row.type,
    aggregateId: row.aggregate_id,
    event: row.event,
  }));
}

export async function markEventsPublished(trx: Transaction<Database>, positions: readonly string[]): Promise<void> {
  if (positions.length === 0) return;
  await trx
    .updateTable('event_outbox')
    .set({ published_at: sql`now()` })
    .where('position', 'in', positions as never)
    .execute();
}

/**
 * Deletes up to `batch` events published before `before`, oldest position first
 * (the primary key's order: the old events are at its start, so no index on
 * published_at is needed); how many it deleted.
 */
export async function deletePublishedEvents(db: Executor, before: Date, batch: number): Promise<number> {
  const result = await sql`
    delete from event_outbox where position in (
      select position from event_outbox where published_at < ${before} order by position limit ${batch})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export interface OutboxBacklog {
  /** Events of the service not yet published. */
  readonly pending: number;
  /** Age of the oldest of them, in milliseconds; 0 when none waits. */
  readonly oldestAgeMs: number;
}

export async function outboxBacklog(db: Executor, service: string): Promise<OutboxBacklog> {
  const row = await db
    .selectFrom('event_outbox')
    .select([
      sql<string>`count(*)`.as('pending'),
      sql<string | null>`extract(epoch from now() - min(created_at)) * 1000`.as('oldest'),
    ])
    .where('service', '=', service)
    .where('published_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { pending: Number(row.pending), oldestAgeMs: Math.max(0, Math.round(Number(row.oldest ?? 0))) };
}
