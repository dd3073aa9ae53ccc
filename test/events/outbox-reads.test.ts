// What the relay's statements read, whatever the outbox retains: a round reads
// the events it publishes, the backlog count the events waiting, retention the
// oldest events. The outbox keeps a day of events; a statement that read all of
// them every round (as one did, 24 ms a round at 30,000 events) would grow with
// the retention, not with the work; nor with the other service's events, nor
// when the planner knows nothing of the table (autovacuum off, or a table not
// yet analysed). Rows read are PostgreSQL's own counts.
//
// In a cluster of the file's own, with autovacuum off: a window starts at the
// oldest transaction running anywhere in the cluster when the last one was
// published, so another test's open transaction on the shared server made these
// statements read the events since (correctly, and the counts failed); and no
// autovacuum analyses the table behind the test's back.
import {
  databaseConfigFromEnv,
  deletePublishedEvents,
  nextEventBatch,
  openDatabase,
  outboxBacklog,
  upgrade,
  type OpenDatabase,
} from '@analytics-engine/storage';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDedicatedCluster, type DedicatedCluster } from '../support/dedicated-cluster.js';

const SERVICE = 'outbox-test';
/** The other service sharing the outbox, with most of its events. */
const OTHER = 'outbox-test-other';
/** One connection: the session whose counts are flushed is the one that read. */
const used = {} as { cluster?: DedicatedCluster; database: OpenDatabase };
beforeAll(async () => {
  used.cluster = await startDedicatedCluster({ autovacuum: 'off' });
  const url = await used.cluster.createDatabase('outbox_reads');
  used.database = await openDatabase(databaseConfigFromEnv({ DATABASE_URL: url, DATABASE_POOL_MAX: '1' }));
  await upgrade(used.database.db);
});
afterAll(async () => {
  await used.database.close();
  await used.cluster?.destroy();
});

/** Events written in one transaction, as many changes' would be. */
async function writeEvents(database: OpenDatabase, count: number, service = SERVICE): Promise<void> {
  await sql`insert into event_outbox (id, service, type, aggregate_id, event)
            select gen_random_uuid(), ${service}, 'thing.created', 'thing-' || g, json_build_object('n', g)
            from generate_series(1, ${count}::int) g`.execute(database.db);
}

/** Rows of event_outbox that scans have read so far (sequential and by index). */
async function rowsRead(database: OpenDatabase): Promise<number> {
  return database.db.transaction().execute(async (trx) => {
    await sql`select pg_stat_clear_snapshot()`.execute(trx);
    const { rows } = await sql<{ read: string }>`
      select coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) as read
      from pg_stat_user_tables where relname = 'event_outbox'`.execute(trx);
    return Number(rows[0]?.read ?? 0);
  });
}

/** Rows `work` made PostgreSQL read from event_outbox; its session flushes its counts when it commits. */
async function readBy<T>(database: OpenDatabase, work: (flush: () => Promise<void>) => Promise<T>) {
  const before = await rowsRead(database);
  const result = await work(async () => {
    await sql`select pg_stat_force_next_flush()`.execute(database.db);
  });
  return { result, read: (await rowsRead(database)) - before };
}

/** One relay round: the next batch, recorded as published; the number of events it held. */
async function round(database: OpenDatabase, limit: number, service = SERVICE): Promise<number> {
  return database.db.transaction().execute(async (trx) => {
    const batch = await nextEventBatch(trx, service, { limit, recordEmpty: true });
    if (!batch) throw new Error('another relay holds the outbox');
    await batch.published();
    await sql`select pg_stat_force_next_flush()`.execute(trx);
    return batch.events.length;
  });
}

/** `rounds` relay rounds of at most `limit` events: how many they published, and the rows they read. */
const drain = (database: OpenDatabase, rounds: number, limit: number) =>
  readBy(database, async () => {
    let sent = 0;
    for (let i = 0; i < rounds; i++) sent += await round(database, limit);
    return sent;
  });

/** The backlog count, and the rows it read. */
const countBacklog = (database: OpenDatabase) =>
  readBy(database, async (flush) => {
    const backlog = await outboxBacklog(database.db, SERVICE);
    await flush();
    return backlog;
  });

/** One retention batch of the service's published events made before `before`, and the rows it read. */
const prune = (database: OpenDatabase, before: Date) =>
  readBy(database, async (flush) => {
    const deleted = await deletePublishedEvents(database.db, SERVICE, before, 1_000);
    await flush();
    return deleted;
  });

describe('the outbox, retaining published events', () => {
  it("reads a service's own events by index, with no statistics and another service's beside them", async () => {
    const { database } = used;
    await writeEvents(database, 20_000, OTHER);
    expect(await round(database, 100_000, OTHER)).toBe(20_000);
    await writeEvents(database, 300);
    const drained = await drain(database, 4, 100);
    expect(drained.result).toBe(300);
    // The new window read by (service, txid), then 100 a round by (service, position); a sequential scan
    // (the plan a filter on service led to) reads all 20,300 every round.
    expect(drained.read).toBeLessThan(1_000);
    await writeEvents(database, 3);
    const counted = await countBacklog(database);
    expect(counted.result.pending).toBe(3);
    expect(counted.read).toBeLessThan(100);
    const pruned = await prune(database, new Date());
    expect(pruned.result).toBe(300);
    expect(pruned.read).toBeLessThanOrEqual(1_000);
    expect(await round(database, 100)).toBe(3);
  });

  it('publishes, counts and prunes by reading the events concerned, not every event retained', async () => {
    const { database } = used;
    await writeEvents(database, 5_000);
    expect(await round(database, 10_000)).toBe(5_000);
    // As autovacuum does once a table has grown: the planner knows what the outbox retains.
    await sql`analyze event_outbox`.execute(database.db);
    for (let i = 0; i < 3; i++) await writeEvents(database, 1);

    const counted = await countBacklog(database);
    expect(counted.result.pending).toBe(3);
    expect(counted.read).toBeLessThan(100);

    const published = await readBy(database, () => round(database, 500));
    expect(published.result).toBe(3);
    expect(published.read).toBeLessThan(100);

    // Nothing is old enough to go: retention reads the oldest batch, and stops.
    const pruned = await prune(database, new Date(Date.now() - 3_600_000));
    expect(pruned.result).toBe(0);
    expect(pruned.read).toBeLessThanOrEqual(1_000);
  });

  it('drains a backlog reading each waiting event about once, not the rest of it every round', async () => {
    const { database } = used;
    expect(await round(database, 10_000)).toBeGreaterThanOrEqual(0);
    await writeEvents(database, 3_000);
    const drained = await drain(database, 7, 500);
    expect(drained.result).toBe(3_000);
    // The first round finds the window (all 3,000); each later one reads its own 500 onwards.
    expect(drained.read).toBeLessThan(3_000 + 7 * 700);
  });

  it('deletes published events older than the retention, oldest first, and no waiting one', async () => {
    const { database } = used;
    await round(database, 100_000);
    await sql`update event_outbox set created_at = now() - interval '2 days'`.execute(database.db);
    await writeEvents(database, 2);
    await sql`update event_outbox set created_at = now() - interval '2 days' where position > (
                select max(position) - 2 from event_outbox)`.execute(database.db);
    const others = await sql<{ n: string }>`select count(*) as n from event_outbox where service = ${OTHER}`.execute(
      database.db,
    );
    const before = new Date(Date.now() - 86_400_000);
    let deleted = 0;
    for (let batch = await deletePublishedEvents(database.db, SERVICE, before, 1_000); batch > 0;) {
      deleted += batch;
      batch = await deletePublishedEvents(database.db, SERVICE, before, 1_000);
    }
    const { rows } = await sql<{ left: string }>`
      select count(*) as left from event_outbox where service = ${SERVICE}`.execute(database.db);
    expect(deleted).toBeGreaterThan(8_000);
    expect(Number(rows[0]?.left)).toBe(2);
    // Each service's relay prunes its own events.
    const { rows: kept } = await sql<{ n: string }>`
      select count(*) as n from event_outbox where service = ${OTHER}`.execute(database.db);
    expect(kept[0]?.n).toBe(others.rows[0]?.n);
  });
});
