// Each service's relay reads only its own events, and reads them by index
// whatever the planner knows of the table. The relay's queries filtered by
// service over indexes that did not hold it: without statistics (autovacuum off,
// or a table not yet analysed), or for a service with a small share of the
// events, the planner expected a few rows and read the whole outbox with a
// sequential scan and a sort, every round. Keyed by (service, position) and
// indexed by (service, txid), a round's scan is bounded by its own index
// conditions.
//
// The outbox also keeps each event as the text the relay publishes: JSON, not
// JSONB, so a write no longer builds a binary value (and reorders its members),
// and a round no longer has PostgreSQL print one back for Node to parse and
// print again. JSON, not TEXT, so that instances of the earlier version, still
// running during a rolling upgrade, keep working on the same rows: their JSONB
// events are cast on insert, and their relays read objects as before. Events
// written before keep their members, in JSONB's order.
import { sql, type Kysely } from 'kysely';

export const description = 'store outbox events by service, as published';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX ix_event_outbox_txid`.execute(db);
  // One statement, so the table is rewritten (and its key built) once.
  await sql`
    ALTER TABLE event_outbox
      ALTER COLUMN event TYPE JSON USING event::json,
      DROP CONSTRAINT event_outbox_pkey,
      ADD CONSTRAINT event_outbox_pkey PRIMARY KEY (service, position)`.execute(db);
  await sql`CREATE INDEX ix_event_outbox_txid ON event_outbox (service, txid)`.execute(db);
  await sql`COMMENT ON INDEX ix_event_outbox_txid IS \
'The event relay finds the events of its transactions not yet published'`.execute(db);
  await sql`COMMENT ON COLUMN event_outbox.event IS \
'The event as published: JSON, its envelope first (never a secret)'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX ix_event_outbox_txid`.execute(db);
  await sql`
    ALTER TABLE event_outbox
      ALTER COLUMN event TYPE JSONB USING event::jsonb,
      DROP CONSTRAINT event_outbox_pkey,
      ADD CONSTRAINT event_outbox_pkey PRIMARY KEY (position)`.execute(db);
  await sql`CREATE INDEX ix_event_outbox_txid ON event_outbox (txid)`.execute(db);
  await sql`COMMENT ON INDEX ix_event_outbox_txid IS \
'The event relay finds the events of transactions not yet published by it'`.execute(db);
  await sql`COMMENT ON COLUMN event_outbox.event IS 'The whole event as published (never a secret)'`.execute(db);
}
