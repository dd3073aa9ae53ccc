// Events and the audit trail, written in the transaction of the change they
// describe: event_outbox holds each event for the relay to publish to Redis (and
// then for EVENTS_RETENTION_HOURS), event_relay_progress how far each service's
// relay got, audit_log who changed what. Rows of the outbox are never updated:
// the relay publishes the events of the transactions that committed between two
// snapshots (the pgq way), so what it has published is one row per service.
// Not part of the guide's schema; the services own both. Frozen in time: it
// takes Kysely<any> and never imports application types.
import { sql, type Kysely } from 'kysely';

export const description = 'add event outbox and audit log';

export const comments = {
  event_outbox: {
    table: 'Events waiting for (or kept after) publication to Redis Streams by the service that wrote them',
    columns: {
      position: 'Commit order within an aggregate: the relay publishes in this order',
      txid: 'The transaction that wrote the event (its xid8 as a number): the snapshot window it is published in',
      id: 'The event id (UUID) consumers drop repeats by',
      service: 'The service whose relay publishes the event',
      type: 'The event type, e.g. config.updated',
      aggregate_id: 'The id of the profile, client or proposal the event is about',
      event: 'The whole event as published (never a secret)',
      created_at: 'When the change was made',
    },
  },
  event_relay_progress: {
    table: "How far each service's event relay has published (one row per service)",
    columns: {
      service: 'The service whose relay this is',
      published_through: 'Every event of a transaction visible in this snapshot is published',
      window_end: 'The snapshot the relay is publishing up to; NULL between windows',
      window_position: 'Within that window, the events up to this position are published',
    },
  },
  audit_log: {
    table: 'Who changed what and when, one row per change (never a value of a secret)',
    columns: {
      id: 'Insertion order: the audit trail lists newest first by it',
      occurred_at: 'When the change was made',
      service: 'The service that made it',
      actor: "The API key's name, else its fingerprint, or anonymous where access control is off",
      resource: 'profile, client, proposal or license',
      resource_id: 'The id of the item changed',
      action: 'create, update, replace, delete, test, discover, revoke',
      changes: 'The names of the members changed (never their values)',
      request_id: 'The x-request-id of the request that made the change',
    },
  },
} as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE event_outbox (
      position BIGSERIAL PRIMARY KEY,
      txid BIGINT NOT NULL DEFAULT pg_current_xact_id()::text::bigint,
      id UUID NOT NULL,
      service VARCHAR(64) NOT NULL,
      type VARCHAR(64) NOT NULL,
      aggregate_id VARCHAR(255) NOT NULL,
      event JSONB NOT NULL,
      created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW()
    )`.execute(db);
  // The relay's scan: events by transaction, from the oldest not yet published. Transaction ids grow with
  // the table's pages, so a BRIN index serves it at almost no cost per insert (pages not yet summarised,
  // the newest, are always read). Ids are random UUIDs, unique without an index to say so.
  await sql`CREATE INDEX ix_event_outbox_txid ON event_outbox USING BRIN (txid)`.execute(db);
  await sql`
    CREATE TABLE event_relay_progress (
      service VARCHAR(64) PRIMARY KEY,
      published_through PG_SNAPSHOT NOT NULL,
      window_end PG_SNAPSHOT,
      window_position BIGINT NOT NULL DEFAULT 0
    )`.execute(db);
  await sql`
    CREATE TABLE audit_log (
      id BIGSERIAL PRIMARY KEY,
      occurred_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
      service VARCHAR(64) NOT NULL,
      actor VARCHAR(255) NOT NULL,
      resource VARCHAR(64) NOT NULL,
      resource_id VARCHAR(255) NOT NULL,
      action VARCHAR(32) NOT NULL,
      changes TEXT[] NOT NULL,
      request_id VARCHAR(255)
    )`.execute(db);
  await sql`CREATE INDEX ix_audit_log_resource_id ON audit_log(resource_id)`.execute(db);
  await sql`CREATE INDEX ix_audit_log_occurred_at ON audit_log(occurred_at)`.execute(db);
  for (const [table, text] of Object.entries(comments)) {
    await sql`COMMENT ON TABLE ${sql.table(table)} IS ${sql.lit(text.table)}`.execute(db);
    for (const [column, note] of Object.entries(text.columns)) {
      await sql`COMMENT ON COLUMN ${sql.ref(`${table}.${column}`)} IS ${sql.lit(note)}`.execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE audit_log`.execute(db);
  await sql`DROP TABLE event_relay_progress`.execute(db);
  await sql`DROP TABLE event_outbox`.execute(db);
}
