// The record behind idempotent creates (table idempotency_keys). A request
// claims its key in one statement before it writes; its answer is stored when
// it is sent. A claim is taken over only when it is a stale in-progress claim
// of the same request (its process died) or an expired record.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database/tables.js';

export interface StoredAnswer {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export type Claim =
  /** This request holds the key; firstSeenAt stays the same across takeovers of the same request. */
  | { readonly outcome: 'claimed'; readonly firstSeenAt: Date }
  | { readonly outcome: 'other-request' }
  | { readonly outcome: 'in-progress' }
  | { readonly outcome: 'answered'; readonly answer: StoredAnswer };

export interface ClaimTimes {
  /** An in-progress claim older than this belongs to a request that will never finish. */
  readonly staleAfterSeconds: number;
  /** Records older than this are forgotten: the key may be used afresh. */
  readonly ttlHours: number;
}

export interface IdempotencyKeys {
  claim(key: string, requestHash: string, times: ClaimTimes): Promise<Claim>;
  /** Stores the answer of the request holding the claim. */
  complete(key: string, answer: StoredAnswer): Promise<void>;
  /** Gives up an in-progress claim (the request failed with nothing to replay). */
  release(key: string): Promise<void>;
  /** Deletes records past their time; returns how many. */
  expire(ttlHours: number): Promise<number>;
}

interface ClaimedRow {
  created_at: Date;
}

interface ExistingRow {
  request_hash: string;
  status_code: number | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
}

export function createIdempotencyKeys(db: Kysely<Database>): IdempotencyKeys {
  return {
    async claim(key, requestHash, { staleAfterSeconds, ttlHours }) {
      const expired = sql`idempotency_keys.created_at < now() - make_interval(hours => ${ttlHours})`;
      const claimed = await sql<ClaimedRow>`
        insert into idempotency_keys (key, request_hash) values (${key}, ${requestHash})
        on conflict (key) do update set
          request_hash = excluded.request_hash, status_code = null, response_headers = null, response_body = null,
          claimed_at = now(), created_at = case when ${expired} then now() else idempotency_keys.created_at end
        where ${expired}
           or (idempotency_keys.status_code is null
               and idempotency_keys.request_hash = excluded.request_hash
               and idempotency_keys.claimed_at < now() - make_interval(secs => ${staleAfterSeconds}))
        returning created_at`.execute(db);
      const row = claimed.rows[0];
      if (row) return { outcome: 'claimed', firstSeenAt: row.created_at };

      const existing = await sql<ExistingRow>`
        select request_hash, status_code, response_headers, response_body from idempotency_keys where key = \
${key}`.execute(db);
      const record = existing.rows[0];
      // Released between the two statements: the first request failed; this one may simply retry.
      if (!record) return { outcome: 'in-progress' };
      if (record.request_hash !== requestHash) return { outcome: 'other-request' };
      if (record.status_code === null) return { outcome: 'in-progress' };
      return {
        outcome: 'answered',
        answer: {
          statusCode: record.status_code,
          headers: record.response_headers ?? {},
          body: record.response_body ?? '',
        },
      };
    },

    async complete(key, answer) {
      await db
        .updateTable('idempotency_keys')
        .set({
          status_code: answer.statusCode,
          response_headers: JSON.stringify(answer.headers),
          response_body: answer.body,
        })
        .where('key', '=', key)
        .where('status_code', 'is', null)
        .execute();
    },

    async release(key) {
      await db.deleteFrom('idempotency_keys').where('key', '=', key).where('status_code', 'is', null).execute();
    },

    async expire(ttlHours) {
      const result = await db
        .deleteFrom('idempotency_keys')
        .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${ttlHours})`)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
