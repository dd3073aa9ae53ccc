// The audit rows and events of a document resource's writes: <prefix>.created,
// <prefix>.updated {changes, timestamp} and <prefix>.deleted, each naming the
// item by the resource's id member, unless the resource says otherwise.
import type { JsonObject, StoredDocument } from '@analytics-engine/storage';
import type { Change } from '../changes/change-log.js';
import { changedMembers } from '../changes/changed-members.js';
import type { ResourceEvents } from './resource-definition.js';

export interface ResourceChanges<Doc> {
  /** Before the insert (its statement writes them): the key and the document as written. */
  created(key: string, document: Doc): Change;
  /** action: update or replace, or what the route calls its own change (revoke). */
  updated(action: string, before: Doc, after: StoredDocument<Doc>): Change;
  deleted(item: StoredDocument<Doc>): Change;
}

/** The members of an updated event: which members changed, and when (the platform's `timestamp`). */
export function updatedBody(changes: readonly string[]): JsonObject {
  return { changes: [...changes], timestamp: new Date().toISOString() };
}

export function resourceChanges<Doc>(resource: string, events: ResourceEvents<Doc>): ResourceChanges<Doc> {
  const { prefix, idMember } = events;
  const named = (key: string, body: JsonObject = {}): JsonObject => ({ [idMember]: key, ...body });
  return {
    created: (key, document) => ({
      resource,
      id: key,
      action: 'create',
      changes: Object.keys(document as JsonObject)
        .filter((name) => name !== 'needs_completion')
        .sort(),
      events: [{ type: `${prefix}.created`, body: named(key, events.created?.(document)) }],
    }),
    updated: (action, before, after) => {
      const changes = changedMembers(before, after.data);
      const standard = () => (changes.length === 0 ? [] : [{ type: `${prefix}.updated`, body: updatedBody(changes) }]);
      const bodies = events.updated ? events.updated(before, after.data, changes) : standard();
      const itemEvents = bodies.map((event) => ({ type: event.type, body: named(after.key, event.body) }));
      return { resource, id: after.key, action, changes, events: itemEvents };
    },
    deleted: (item) => ({
      resource,
      id: item.key,
      action: 'delete',
      changes: [],
      events: [{ type: `${prefix}.deleted`, body: named(item.key, events.deleted?.(item.data)) }],
    }),
  };
}
