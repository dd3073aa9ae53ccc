// Each service's relay reads only its own events, and reads them by index
// whatever the planner knows of the table. The relay's queries filtered by
// service over indexes that did not hold it: without statistics (autovacuum off,
// or a table not yet analysed), or for a service with a small share of the
// events, the planner expected a few rows and read the whole outbox with a
// sequential scan and a sort, every round. Keyed by (service, position) and
// indexed by (service, txid), a round's scan is bounded by its own index
// conditions.
//
// The outbox also keeps each event as the text the relay publishes (TEXT, not
// JSONB): a write no longer builds a JSONB value, and a round no longer prints
// one back that Node parses and prints again. The transaction id is the xid8
// that pg_current_xact_id() gives and pg_visible_in_snapshot() takes, instead of
// a BIGINT cast through text on every insert and every row a round reads.
// Events written before keep their members, in JSONB's order.
import { sql, type Kysely } from 'kysely';

export const description = 'store outbox events by service, as published';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX ix_event_outbox_txid`.execute(db);
  // One statement, so the table is rewritten (and its key built) once.
  await sql`
    ALTER TABLE event_outbox
      ALTER COLUMN event TYPE TEXT USING event::text,
      ALTER COLUMN txid DROP DEFAULT,
      ALTER COLUMN txid TYPE XID8 USING txid::text::xid8,
      ALTER COLUMN txid SET DEFAULT pg_current_xact_id(),
      DROP CONSTRAINT event_outbox_pkey,
      ADD CONSTRAINT event_outbox_pkey PRIMARY KEY (service, position)`.execute(db);
  await sql`CREATE INDEX ix_event_outbox_txid ON event_outbox (service, txid)`.execute(db);
  await sql`COMMENT ON INDEX ix_event_outbox_txid IS \
'The event relay finds the events of its transactions not yet published'`.execute(db);
  await sql`COMMENT ON COLUMN event_outbox.event IS \
'The event as published: JSON, its envelope first (never a secret)'`.execute(db);
  await sql`COMMENT ON COLUMN event_outbox.txid IS \
'The transaction that wrote the event: the snapshot window it is published in'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX ix_event_outbox_txid`.execute(db);
  await sql`
    ALTER TABLE event_outbox
      ALTER COLUMN event TYPE JSONB USING event::jsonb,
      ALTER COLUMN txid DROP DEFAULT,
      ALTER COLUMN txid TYPE BIGINT USING txid::text::bigint,
      ALTER COLUMN txid SET DEFAULT pg_current_xact_id()::text::bigint,
      DROP CONSTRAINT event_outbox_pkey,
      ADD CONSTRAINT event_outbox_pkey PRIMARY KEY (position)`.execute(db);
  await sql`CREATE INDEX ix_event_outbox_txid ON event_outbox (txid)`.execute(db);
  await sql`COMMENT ON INDEX ix_event_outbox_txid IS \
'The event relay finds the events of transactions not yet published by it'`.execute(db);
  await sql`COMMENT ON COLUMN event_outbox.event IS 'The whole event as published (never a secret)'`.execute(db);
  await sql`COMMENT ON COLUMN event_outbox.txid IS \
'The transaction that wrote the event (its xid8 as a number): the snapshot window it is published in'`.execute(db);
}
