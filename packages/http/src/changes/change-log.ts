// Every change a service makes leaves an audit row and (with events on) its
// events in the outbox, in the change's own transaction: an event is never
// lost (it commits with the change) and never invented (it rolls back with it).
// Routes describe their changes; this file gives them their envelope.
import { randomUUID } from 'node:crypto';
import { appendChanges, type ChangeRows, type JsonObject } from '@analytics-engine/storage';
import type { FastifyRequest } from 'fastify';
import type { Executor } from '../document-resource/resource-definition.js';
import { actorOf } from './actor.js';

export interface ChangeEvent {
  /** e.g. config.updated */
  readonly type: string;
  /** The members beyond the envelope, the aggregate's id member (client_id) first. Never a secret. */
  readonly body: JsonObject;
}

export interface Change {
  /** profile, client, proposal or license. */
  readonly resource: string;
  readonly id: string;
  /** create, update, replace, delete, test, discover, revoke... */
  readonly action: string;
  /** The names of the members changed (never their values). */
  readonly changes: readonly string[];
  readonly events: readonly ChangeEvent[];
}

export interface ChangeLog {
  /** Events are written (EVENTS_REDIS_URL is set). */
  readonly eventsEnabled: boolean;
  /** Inside the change's transaction. */
  record(executor: Executor, request: FastifyRequest, changes: readonly Change[]): Promise<void>;
  /**
   * The rows of changes a statement of the caller's writes itself (a create's insert): the request
   * counts as changed from here, so call it only for a write about to be made.
   */
  rows(request: FastifyRequest, changes: readonly Change[]): ChangeRows;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** This service's change log: routes record their changes through it. */
    changeLog: ChangeLog;
  }
  interface FastifyRequest {
    /** The request recorded a change: once answered, the relay is woken. */
    changed: boolean;
  }
}

/** The members every event carries. */
export interface EventEnvelope {
  readonly id: string;
  readonly type: string;
  readonly occurred_at: string;
  readonly service: string;
  readonly actor: string;
}

/** An event's text as the outbox keeps it and the relay publishes it. */
export function publishedEvent(envelope: EventEnvelope, body: JsonObject): string {
  // Written first, the envelope leads the text; set again after the body, it is never overridden by it.
  // (Its members named, not the envelope spread: spreading it costs some 3.5 µs an event, this 1.)
  const { id, type, occurred_at, service, actor } = envelope;
  return JSON.stringify(Object.assign({ id, type, occurred_at, service, actor, ...body }, envelope));
}

export function createChangeLog(service: string, eventsEnabled: boolean): ChangeLog {
  const rows = (request: FastifyRequest, changes: readonly Change[]): ChangeRows => {
    const actor = actorOf(request);
    const occurredAt = new Date().toISOString();
    const audit = changes.map((change) => ({
      service,
      actor,
      resource: change.resource,
      resourceId: change.id,
      action: change.action,
      changes: change.changes,
      requestId: storableRequestId(request.id),
    }));
    const events = eventsEnabled
      ? changes.flatMap((change) =>
          change.events.map(({ type, body }) => {
            const id = randomUUID();
            const event = publishedEvent({ id, type, occurred_at: occurredAt, service, actor }, body);
            return { aggregateId: change.id, id, type, service, event };
          }),
        )
      : [];
    request.changed = true;
    return { audit, events };
  };
  return {
    eventsEnabled,
    rows,
    async record(executor, request, changes) {
      if (changes.length === 0) return;
      const { audit, events } = rows(request, changes);
      await appendChanges(executor, audit, events);
    },
  };
}

/** A client's x-request-id may be any length and any bytes: kept printable and within the column. */
function storableRequestId(id: string): string {
  return id.replace(/[^\x20-\x7e]/g, '?').slice(0, 255);
}
