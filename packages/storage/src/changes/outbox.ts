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
// A transaction-level advisory lock per service makes one relay of a service
// publish at a time (so it holds behind PgBouncer), and an idle round writes
// nothing.
//
// What a round reads is what it publishes, whatever the outbox retains and
// whatever the planner knows of it (the table may never have been analysed): a
// new window's events are found by the service's transaction ids (the index on
// (service, txid) reads the table's tail), an open window's after its position
// (the primary key, (service, position), in order), and retention looks at the
// service's oldest events only. Every scan is bounded by its index conditions,
// none by a filter the planner would have to guess the selectivity of.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../database/tables.js';

type Executor = Kysely<Database> | Transaction<Database>;

export interface PendingEvent {
  readonly position: string;
  readonly id: string;
  readonly type: string;
  readonly aggregateId: string;
  /** The event as published: JSON text. */
  readonly event: string;
}

/** The event's transaction committed before `snapshot` was taken (its events are in that snapshot's windows). */
const visibleIn = (txid: RawBuilder<unknown>, snapshot: RawBuilder<unknown>) =>
  sql<boolean>`pg_visible_in_snapshot(${txid}::text::xid8, ${snapshot})`;

/**
 * Not yet published by a progress at `snapshot`; the first conjunct, on the
 * column itself, lets the txid index bound the scan.
 */
const notPublishedBy = (txid: RawBuilder<unknown>, snapshot: RawBuilder<unknown>) =>
  sql<boolean>`(${txid} >= pg_snapshot_xmin(${snapshot})::text::bigint and not ${visibleIn(txid, snapshot)})`;

export interface EventBatch {
  readonly events: PendingEvent[];
  /** Records the batch as published, in the same transaction; call once it is. */
  published(): Promise<void>;
}

/** Nothing is visible in it: before a service's first window, every event is still to publish. */
const NOTHING_PUBLISHED = '1:1:';

export interface BatchOptions {
  readonly limit: number;
  /**
   * An empty round records its window as published only when this is set: a
   * relay passes it now and then, so an idle service writes its progress row
   * seldom, yet its window never starts so far back that it scans much.
   */
  readonly recordEmpty: boolean;
}

/**
 * Inside a transaction: the service's next batch of events (maybe none), or
 * undefined when another relay of the service is publishing. Nothing is written
 * until the batch is published.
 */
export async function nextEventBatch(
  trx: Transaction<Database>,
  service: string,
  { limit, recordEmpty }: BatchOptions,
): Promise<EventBatch | undefined> {
  const { rows: lock } = await sql<{ leader: boolean }>`
    select pg_try_advisory_xact_lock(hashtext(${`analytics-engine outbox ${service}`})) as leader`.execute(trx);
  if (!lock[0]?.leader) return undefined;
  const progress = await progressOf(trx, service);
  const through = sql`${progress.through}::pg_snapshot`;
  const until = sql`${progress.until}::pg_snapshot`;
  const pending = await sql<{ position: string; id: string; type: string; aggregate_id: string; event: string }>`${
    progress.open
      ? openWindowEvents(service, through, until, progress.after, limit)
      : newWindowEvents(service, through, until, limit)
  }`.execute(trx);
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
      if (events.length === limit && last !== undefined) {
        // A full batch may not be the window's last: the window stays open at its position.
        await sql`update event_relay_progress set window_end = ${progress.until}::pg_snapshot,
                  window_position = ${last}::bigint where service = ${service}`.execute(trx);
      } else if (events.length > 0 || progress.open || recordEmpty) {
        await sql`update event_relay_progress
                  set published_through = ${progress.until}::pg_snapshot, window_end = null, window_position = 0
                  where service = ${service}`.execute(trx);
      }
    },
  };
}

/** What a round publishes; the event as the text it was written as (JSON, parsed by no one). */
const EVENT_COLUMNS = sql`position, id, type, aggregate_id, event::text as event`;

/**
 * A new window's first batch. Its events are read by the (service, txid) index
 * and sorted; fenced in a materialised CTE, the order and limit cannot tempt the
 * planner into the primary key's order instead, which would read every event the
 * service retains to find the window's (the txid bound is a guess to it).
 */
const newWindowEvents = (
  service: string,
  through: RawBuilder<unknown>,
  until: RawBuilder<unknown>,
  limit: number,
) => sql`
  with window_events as materialized (
    select ${EVENT_COLUMNS} from event_outbox
    where service = ${service} and ${notPublishedBy(sql.ref('txid'), through)} and ${visibleIn(sql.ref('txid'), until)})
  select * from window_events order by position limit ${limit}`;

/**
 * An open window goes on from its position by the primary key: the txid index
 * would read the rest of the window (all of a backlog) every round, to publish
 * one batch of it.
 */
const openWindowEvents = (
  service: string,
  through: RawBuilder<unknown>,
  until: RawBuilder<unknown>,
  after: string,
  limit: number,
) => sql`
  select ${EVENT_COLUMNS} from event_outbox
  where service = ${service} and position > ${after}::bigint
    and not ${visibleIn(sql.ref('txid'), through)} and ${visibleIn(sql.ref('txid'), until)}
  order by position
  limit ${limit}`;

interface Progress {
  readonly through: string;
  /** The open window's end, else a snapshot taken now. */
  readonly until: string;
  /** A window was open: its end is stored. */
  readonly open: boolean;
  readonly after: string;
}

/** The service's progress; its row is made on the first round. */
async function progressOf(trx: Transaction<Database>, service: string): Promise<Progress> {
  const read = () =>
    sql<Progress>`select published_through::text as through, coalesce(window_end, pg_current_snapshot())::text as until,
                         window_end is not null as open, window_position::text as after
                  from event_relay_progress where service = ${service}`.execute(trx);
  const [found] = (await read()).rows;
  if (found) return found;
  await sql`insert into event_relay_progress (service, published_through) values (${service}, ${NOTHING_PUBLISHED})
            on conflict do nothing`.execute(trx);
  const [made] = (await read()).rows;
  if (!made) throw new Error(`event_relay_progress has no row for ${service}`);
  return made;
}

/**
 * Deletes the service's published events made before `before` among its
 * `batch` oldest (the primary key's start); how many. Only the oldest are read:
 * a search of the whole outbox for old events, when none is old yet, would read
 * a day of them every minute. Fewer than `batch` deleted means the old ones are
 * gone (or wait to be published).
 */
export async function deletePublishedEvents(
  db: Executor,
  service: string,
  before: Date,
  batch: number,
): Promise<number> {
  const result = await sql`
    delete from event_outbox where service = ${service} and position = any(array(
      select o.position
      from (select position, txid, created_at from event_outbox
            where service = ${service} order by position limit ${batch}) o
      join event_relay_progress p on p.service = ${service}
      where o.created_at < ${before} and ${visibleIn(sql.ref('o.txid'), sql.ref('p.published_through'))}))`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export interface OutboxBacklog {
  /** Events of the service not yet published (of committed transactions). */
  readonly pending: number;
  /** Age of the oldest of them, in milliseconds; 0 when none waits. */
  readonly oldestAgeMs: number;
}

/**
 * The progress is read first and passed as a value, so the planner bounds the
 * count by the txid index: a snapshot read from the progress row in the same
 * statement is not known when the plan is made, and the count read every event.
 */
export async function outboxBacklog(db: Executor, service: string): Promise<OutboxBacklog> {
  const progress = await sql<{ through: string }>`
    select published_through::text as through from event_relay_progress where service = ${service}`.execute(db);
  const through = progress.rows[0]?.through ?? NOTHING_PUBLISHED;
  const { rows } = await sql<{ pending: string; oldest: string | null }>`
    select count(*) as pending, extract(epoch from now() - min(created_at)) * 1000 as oldest
    from event_outbox
    where service = ${service} and ${notPublishedBy(sql.ref('txid'), sql`${through}::pg_snapshot`)}`.execute(db);
  const row = rows[0];
  return { pending: Number(row?.pending ?? 0), oldestAgeMs: Math.max(0, Math.round(Number(row?.oldest ?? 0))) };
}
