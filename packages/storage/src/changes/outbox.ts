// The relay's side of the outbox, the pgq way: events are published by snapshot
// window. A window holds the events of the transactions that committed after the
// last published snapshot (published_through) and before the window's own
// (window_end); every committed transaction falls in exactly one window, and an
// aggregate's changes, which wait on each other's row locks, in the same window
// or in the order of their windows. Within a window events go out in position
// order, in batches; the progress row says how far. So no outbox row is ever
// updated, and a relay that dies mid-batch leaves the progress where it was:
// the next one publishes the batch again (at least once).
//
// The progress row, locked FOR UPDATE SKIP LOCKED, makes one relay of a service
// publish at a time; the lock is the transaction's, so it holds behind PgBouncer.
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

export interface EventBatch {
  readonly events: PendingEvent[];
  /** Records the batch as published, in the same transaction; call once it is. */
  published(): Promise<void>;
}

/** Nothing is visible in it: before a service's first window, every event is still to publish. */
const NOTHING_PUBLISHED = '1:1:';

/**
 * Inside a transaction: the service's next batch of at most `limit` events (maybe
 * none), or undefined when another relay of the service is publishing.
 */
export async function nextEventBatch(
  trx: Transaction<Database>,
  service: string,
  limit: number,
): Promise<EventBatch | undefined> {
  await sql`insert into event_relay_progress (service, published_through) values (${service}, ${NOTHING_PUBLISHED})
            on conflict do nothing`.execute(trx);
  // A new window, if none is open, ends now; the row stays locked until the transaction ends.
  const { rows } = await sql<{ through: string; until: string; after: string }>`
    update event_relay_progress p set window_end = coalesce(p.window_end, pg_current_snapshot())
    from (select service from event_relay_progress where service = ${service} for update skip locked) locked
    where p.service = locked.service
    returning p.published_through::text as through, p.window_end::text as until,
              p.window_position::text as after`.execute(trx);
  const progress = rows[0];
  if (!progress) return undefined;
  const pending = await sql<{ position: string; id: string; type: string; aggregate_id: string; event: JsonObject }>`
    select position, id, type, aggregate_id, event from event_outbox
    where service = ${service}
      and txid >= pg_snapshot_xmin(${progress.through}::pg_snapshot)::text::bigint
      and not pg_visible_in_snapshot(txid::text::xid8, ${progress.through}::pg_snapshot)
      and pg_visible_in_snapshot(txid::text::xid8, ${progress.until}::pg_snapshot)
      and position > ${progress.after}::bigint
    order by position
    limit ${limit}`.execute(trx);
  const events = pending.rows.map((row) => ({
    position: row.position,
    id: row.id,
    type: row.type,
    aggregateId: row.aggregate_id,
    event: row.event,
  }));
  const last = events.at(-1)?.position;
  return {
    events,
    published: async () => {
      // A full batch may not be the window's last: keep the window open at its position.
      if (events.length === limit && last !== undefined) {
        await sql`update event_relay_progress set window_position = ${last}::bigint where service = ${service}`.execute(
          trx,
        );
        return;
      }
      await sql`update event_relay_progress
                set published_through = window_end, window_end = null, window_position = 0
                where service = ${service}`.execute(trx);
    },
  };
}

/**
 * Deletes up to `batch` published events made before `before`, oldest position
 * first (the primary key's order: the old events are at its start); how many.
 */
export async function deletePublishedEvents(db: Executor, before: Date, batch: number): Promise<number> {
  const result = await sql`
    delete from event_outbox where position in (
      select o.position from event_outbox o join event_relay_progress p using (service)
      where o.created_at < ${before} and pg_visible_in_snapshot(o.txid::text::xid8, p.published_through)
      order by o.position limit ${batch})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export interface OutboxBacklog {
  /** Events of the service not yet published (of committed transactions). */
  readonly pending: number;
  /** Age of the oldest of them, in milliseconds; 0 when none waits. */
  readonly oldestAgeMs: number;
}

export async function outboxBacklog(db: Executor, service: string): Promise<OutboxBacklog> {
  const { rows } = await sql<{ pending: string; oldest: string | null }>`
    select count(*) as pending, extract(epoch from now() - min(o.created_at)) * 1000 as oldest
    from event_outbox o
    left join event_relay_progress p on p.service = o.service
    where o.service = ${service}
      and (p.service is null
           or (o.txid >= pg_snapshot_xmin(p.published_through)::text::bigint
               and not pg_visible_in_snapshot(o.txid::text::xid8, p.published_through)))`.execute(db);
  const row = rows[0];
  return { pending: Number(row?.pending ?? 0), oldestAgeMs: Math.max(0, Math.round(Number(row?.oldest ?? 0))) };
}
