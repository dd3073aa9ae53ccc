// Events and the audit trail, written in the transaction of the change they
// describe: event_outbox holds each event until the relay has published it to
// Redis (then for EVENTS_RETENTION_HOURS), audit_log records who changed what.
// Not part of the guide's schema; the services own both. Frozen in time: it
// takes Kysely<any> and never imports application types.
import { sql, type Kysely } from 'kysely';

export const description = 'add event outbox and audit log';

export const comments = {
  event_outbox: {
    table: 'Events waiting for (or kept after) publication to Redis Streams by the service that wrote them',
    columns: {
      position: 'Commit order within an aggregate: the relay publishes in this order',
      id: 'The event id (UUID) consumers drop repeats by',
      service: 'The service whose relay publishes the event',
      type: 'The event type, e.g. config.updated',
      aggregate_id: 'The id of the profile, client or proposal the event is about',
      event: 'The whole event as published (never a secret)',
      created_at: 'When the change committed',
      published_at: 'When the relay published it; NULL while it waits',
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
      id UUID NOT NULL,
      service VARCHAR(64) NOT NULL,
      type VARCHAR(64) NOT NULL,
      aggregate_id VARCHAR(255) NOT NULL,
      event JSONB NOT NULL,
      created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
      published_at TIMESTAMP WITH TIME ZONE
    )`.execute(db);
  // What waits, in order: the relay's scan. Every index is a cost on every write, so there is no other:
  // ids are random UUIDs (unique without an index to say so), and retention walks the primary key from
  // the oldest position, where the events old enough to delete are.
  await sql`CREATE INDEX ix_event_outbox_pending ON event_outbox(service, position) WHERE published_at IS NULL`.execute(
    db,
  );
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
  await sql`DROP TABLE event_outbox`.execute(db);
}
