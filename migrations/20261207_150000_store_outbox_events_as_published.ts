// The relay publishes each event as the text it was written as: the outbox keeps
// that text (TEXT, not JSONB), so a write no longer builds a JSONB value from it
// and a relay round no longer prints one back, parses it in Node and prints it
// again. The transaction id is kept as the xid8 that pg_current_xact_id() gives
// and pg_visible_in_snapshot() takes, instead of a BIGINT cast through text on
// every insert and on every row a round reads. Events written before this
// migration keep their members, in JSONB's order.
import { sql, type Kysely } from 'kysely';

export const description = 'store outbox events as published';

export async function up(db: Kysely<any>): Promise<void> {
  // One statement, so the table is rewritten (and its indexes rebuilt) once.
  await sql`
    ALTER TABLE event_outbox
      ALTER COLUMN event TYPE TEXT USING event::text,
      ALTER COLUMN txid DROP DEFAULT,
      ALTER COLUMN txid TYPE XID8 USING txid::text::xid8,
      ALTER COLUMN txid SET DEFAULT pg_current_xact_id()`.execute(db);
  await sql`COMMENT ON COLUMN event_outbox.event IS \
'The event as published: JSON, its envelope first (never a secret)'`.execute(db);
  await sql`COMMENT ON COLUMN event_outbox.txid IS \
'The transaction that wrote the event: the snapshot window it is published in'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE event_outbox
      ALTER COLUMN event TYPE JSONB USING event::jsonb,
      ALTER COLUMN txid DROP DEFAULT,
      ALTER COLUMN txid TYPE BIGINT USING txid::text::bigint,
      ALTER COLUMN txid SET DEFAULT pg_current_xact_id()::text::bigint`.execute(db);
  await sql`COMMENT ON COLUMN event_outbox.event IS 'The whole event as published (never a secret)'`.execute(db);
  await sql`COMMENT ON COLUMN event_outbox.txid IS \
'The transaction that wrote the event (its xid8 as a number): the snapshot window it is published in'`.execute(db);
}
