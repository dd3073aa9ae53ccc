// What a change leaves behind, written in the change's own transaction: one
// audit row per change, and its events in the outbox. One statement for both
// (the rows travel as JSON), so recording a change costs one round trip.
import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import { registerNamedStatement } from '../database/named-statements.js';
import type { Database } from '../database/tables.js';

export interface AuditEntry {
  readonly service: string;
  readonly actor: string;
  readonly resource: string;
  readonly resourceId: string;
  readonly action: string;
  /** The names of the members changed, never their values. */
  readonly changes: readonly string[];
  readonly requestId: string | null;
}

/** An event for the outbox: the aggregate it is about, the members the relay files it by, and the
 * whole event as it is published (JSON text holding the same id, type and service). */
export interface OutboxEvent {
  readonly aggregateId: string;
  /** A UUID: consumers drop repeats by it. */
  readonly id: string;
  readonly type: string;
  readonly service: string;
  readonly event: string;
}

/** The audit rows and outbox events of some changes, as the statements take them (JSON parameters). */
export interface ChangeRows {
  readonly audit: readonly AuditEntry[];
  readonly events: readonly OutboxEvent[];
}

/** The two JSON parameters: the audit rows and the events (their order kept by `ord`). */
export function changeParameters({ audit, events }: ChangeRows): [string, string] {
  const auditRows = audit.map((entry) => ({
    service: entry.service,
    actor: entry.actor,
    resource: entry.resource,
    resource_id: entry.resourceId,
    action: entry.action,
    changes: entry.changes,
    request_id: entry.requestId,
  }));
  const eventRows = events.map(({ aggregateId, id, service, type, event }, ord) => ({
    ord,
    id,
    service,
    type,
    aggregate_id: aggregateId,
    event,
  }));
  return [JSON.stringify(auditRows), JSON.stringify(eventRows)];
}

/** The audit rows of a JSON parameter, inserted. */
export const insertAuditRows = (rows: unknown) => sql`
  insert into audit_log (service, actor, resource, resource_id, action, changes, request_id)
  select a.service, a.actor, a.resource, a.resource_id, a.action,
         array(select jsonb_array_elements_text(a.changes)), a.request_id
  from jsonb_to_recordset(${rows}::jsonb) as a(service text, actor text, resource text, resource_id text, action text,
                                             changes jsonb, request_id text)`;

/** The events of a JSON parameter, inserted in their order (their outbox positions); each event's text
 * is a JSON string there, stored as it is (a JSON column keeps the text). */
export const insertEventRows = (rows: unknown) => sql`
  insert into event_outbox (id, service, type, aggregate_id, event)
  select e.id, e.service, e.type, e.aggregate_id, e.event::json
  from jsonb_to_recordset(${rows}::jsonb)
    as e(ord int, id uuid, service text, type text, aggregate_id text, event text)`;

/** The statement's text, compiled on first use (and named): its parameters are the audit rows, then the events. */
let appendText: string | undefined;

/** Records changes inside the caller's transaction, in one statement; the events in the order given. */
export async function appendChanges(
  executor: Kysely<Database> | Transaction<Database>,
  audit: readonly AuditEntry[],
  events: readonly OutboxEvent[],
): Promise<void> {
  if (appendText === undefined) {
    // Compiled with placeholder values: the audit rows are $1, the events $2.
    const compiled = sql`with audit as (${insertAuditRows('')}) ${insertEventRows('')} order by e.ord`.compile(
      executor,
    );
    registerNamedStatement((appendText = compiled.sql));
  }
  await executor.executeQuery(CompiledQuery.raw(appendText, changeParameters({ audit, events })));
}
