// The relay finds a new window's events by transaction id, at the table's tail.
// The BRIN index the outbox was made with could not serve that: the newest page
// ranges, the only ones the relay wants, are the ones not yet summarised, and a
// BRIN scan reads every unsummarised page; with the planner preferring the
// primary key in position order, each round read every event retained (24 ms a
// round at 30,000 events, and the outbox keeps a day of them). A b-tree is
// always current: a round now reads only the events it publishes.
import { sql, type Kysely } from 'kysely';

export const description = 'index outbox by transaction';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX ix_event_outbox_txid`.execute(db);
  await sql`CREATE INDEX ix_event_outbox_txid ON event_outbox (txid)`.execute(db);
  await sql`COMMENT ON INDEX ix_event_outbox_txid IS \
'The event relay finds the events of transactions not yet published by it'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX ix_event_outbox_txid`.execute(db);
  await sql`CREATE INDEX ix_event_outbox_txid ON event_outbox USING BRIN (txid)`.execute(db);
}
