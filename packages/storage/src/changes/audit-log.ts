// The audit trail, read newest first with a keyset cursor (the id of the last
// entry of a page), filtered by resource, id, actor and time.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database/tables.js';
import { InvalidCursorError } from '../errors.js';
import { decodeCursor, encodeCursor } from '../repositories/cursor.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../repositories/document-repository.js';

type Executor = Kysely<Database> | Transaction<Database>;

export interface AuditQuery {
  readonly service: string;
  readonly resource?: string | undefined;
  readonly resourceId?: string | undefined;
  readonly actor?: string | undefined;
  readonly occurredAfter?: string | undefined;
  readonly occurredBefore?: string | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

export interface AuditRecord {
  readonly id: string;
  readonly occurred_at: string;
  readonly actor: string;
  readonly resource: string;
  readonly resource_id: string;
  readonly action: string;
  readonly changes: string[];
  readonly request_id: string | null;
}

export interface AuditPage {
  readonly items: AuditRecord[];
  readonly nextCursor: string | null;
}

export async function listAudit(db: Executor, query: AuditQuery): Promise<AuditPage> {
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
  const before = query.cursor === undefined ? undefined : cursorId(query.cursor);
  const rows = await db
    .selectFrom('audit_log')
    .select(['id', 'occurred_at', 'actor', 'resource', 'resource_id', 'action', 'changes', 'request_id'])
    .where('service', '=', query.service)
    .$if(query.resource !== undefined, (qb) => qb.where('resource', '=', query.resource ?? ''))
    .$if(query.resourceId !== undefined, (qb) => qb.where('resource_id', '=', query.resourceId ?? ''))
    .$if(query.actor !== undefined, (qb) => qb.where('actor', '=', query.actor ?? ''))
    .$if(query.occurredAfter !== undefined, (qb) =>
      qb.where('occurred_at', '>', new Date(query.occurredAfter as string)),
    )
    .$if(query.occurredBefore !== undefined, (qb) =>
      qb.where('occurred_at', '<', new Date(query.occurredBefore as string)),
    )
    .$if(before !== undefined, (qb) => qb.where('id', '<', before as never))
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map((row): AuditRecord => ({
    id: row.id,
    occurred_at: new Date(row.occurred_at).toISOString(),
    actor: row.actor,
    resource: row.resource,
    resource_id: row.resource_id,
    action: row.action,
    changes: row.changes,
    request_id: row.request_id,
  }));
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor({ createdAt: null, key: last.id }) : null;
  return { items, nextCursor };
}

function cursorId(cursor: string): string {
  const { key } = decodeCursor(cursor);
  if (!/^\d{1,18}$/.test(key)) throw new InvalidCursorError();
  return key;
}
