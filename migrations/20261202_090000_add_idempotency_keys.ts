// Idempotent creates: one row per Idempotency-Key a client sent on a POST, so
// that a retried create replays the first answer instead of writing again.
// Not part of the guide's schema; the services own it. Frozen in time: it takes
// Kysely<any> and never imports application types.
import { sql, type Kysely } from 'kysely';

export const description = 'add idempotency keys';

export const comments = {
  table:
    'Idempotency-Key records of POST requests: a retried create replays the first answer ' +
    '(services own this table, not the guide)',
  columns: {
    key: 'sha256 (hex) of the service, the caller (API key fingerprint or anonymous) and the Idempotency-Key header',
    request_hash: 'sha256 (hex) of the method, route and validated body: the same key with another body is refused',
    status_code: 'Status of the first answer; NULL while that request is still in progress',
    response_headers: 'Headers of the first answer worth replaying (content-type, location, etag)',
    response_body: 'Body of the first answer, byte for byte',
    claimed_at: 'When a request last took the key: an in-progress claim older than a minute may be taken over',
    created_at: 'When the key was first seen: records expire IDEMPOTENCY_TTL_HOURS after it',
  },
} as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE idempotency_keys (
      key VARCHAR(64) PRIMARY KEY,
      request_hash VARCHAR(64) NOT NULL,
      status_code SMALLINT,
      response_headers JSONB,
      response_body TEXT,
      claimed_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
      created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW()
    )`.execute(db);
  await sql`CREATE INDEX ix_idempotency_keys_created_at ON idempotency_keys(created_at)`.execute(db);
  await sql`COMMENT ON TABLE idempotency_keys IS ${sql.lit(comments.table)}`.execute(db);
  for (const [column, text] of Object.entries(comments.columns)) {
    await sql`COMMENT ON COLUMN ${sql.ref(`idempotency_keys.${column}`)} IS ${sql.lit(text)}`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE idempotency_keys`.execute(db);
}
