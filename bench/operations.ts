// The operations driven by autocannon: each one is a request generator that
// works unchanged against the service and against the bare server (same paths,
// same bodies). Ids are random seeded ids; creates get unique ids per request.
import type autocannon from 'autocannon';
import { CLIENT_COUNT, CLIENT_PREFIX, PROFILE_PREFIX, PROPOSAL_PREFIX, RANGE } from './seed.js';
import { fullProposalExample } from '../services/demo-config/src/resource-docs.js';

export type Entity = 'profiles' | 'proposals';
export type OperationName = 'create' | 'get' | 'patch' | 'list-newest' | 'list-jsonb' | 'list-range';
/** Which listener serves it: the Connector Service or the Demo Config Service. */
export type Listener = 'connector' | 'demo';

export interface Operation {
  readonly entity: Entity;
  readonly name: OperationName;
  readonly listener: Listener;
  /** Builds the next request; `seeded` is how many rows of the entity exist. */
  readonly next: (seeded: number) => autocannon.Request;
}

export const OPERATION_NAMES: readonly OperationName[] = [
  'create',
  'get',
  'patch',
  'list-newest',
  'list-jsonb',
  'list-range',
];
export const LIST_OPERATIONS: readonly OperationName[] = ['list-newest', 'list-jsonb', 'list-range'];

const randomRow = (seeded: number) => 1 + Math.floor(Math.random() * seeded);
const jsonHeaders = { 'content-type': 'application/json' };
/** Unique across runs and processes: creates never collide with seeded or earlier rows. */
const runTag = `${Date.now().toString(36)}-${process.pid.toString(36)}`;
let created = 0;
const newId = (prefix: string) => `${prefix}new-${runTag}-${++created}`;

interface EntitySpec {
  readonly listener: Listener;
  readonly path: string;
  readonly prefix: string;
  readonly keyName: string;
  readonly jsonbFilter: string;
  readonly createBody: (id: string) => Record<string, unknown>;
  readonly patchBody: () => Record<string, unknown>;
}

const specs: Record<Entity, EntitySpec> = {
  profiles: {
    listener: 'connector',
    path: '/connector/profiles',
    prefix: PROFILE_PREFIX,
    keyName: 'id',
    jsonbFilter: 'type=sql',
    createBody: (id) => ({
      id,
      name: `Warehouse ${id}`,
      type: 'sql',
      connection_string: 'Server=db1.internal;Database=sales;User Id=reader;Password=s3cret;',
      credentials: { username: 'reader', password: 's3cret' },
      schema_info: { tables: ['orders', 'customers'], columns: { orders: ['id', 'total'] } },
      test_status: 'success',
      last_tested: '2026-11-01T10:00:00Z',
    }),
    patchBody: () => ({ name: `Renamed ${Math.floor(Math.random() * 1e9)}` }),
  },
  proposals: {
    listener: 'demo',
    path: '/demo/proposals',
    prefix: PROPOSAL_PREFIX,
    keyName: 'proposal_id',
    jsonbFilter: 'status=sent',
    createBody: (id) => ({
      proposal_id: id,
      ...fullProposalExample,
      client_id: `${CLIENT_PREFIX}${1 + Math.floor(Math.random() * CLIENT_COUNT)}`,
    }),
    patchBody: () => ({ resources: { hours: 100 + Math.floor(Math.random() * 400) } }),
  },
};

function operation(entity: Entity, name: OperationName): Operation {
  const spec = specs[entity];
  const byId = (seeded: number) => `${spec.path}/${spec.prefix}${randomRow(seeded)}`;
  const next = (seeded: number): autocannon.Request => {
    switch (name) {
      case 'create':
        return {
          method: 'POST',
          path: spec.path,
          headers: jsonHeaders,
          body: JSON.stringify(spec.createBody(newId(spec.prefix))),
        };
      case 'get':
        return { method: 'GET', path: byId(seeded) };
      case 'patch':
        return { method: 'PATCH', path: byId(seeded), headers: jsonHeaders, body: JSON.stringify(spec.patchBody()) };
      case 'list-newest':
        return { method: 'GET', path: `${spec.path}?limit=50` };
      case 'list-jsonb':
        return { method: 'GET', path: `${spec.path}?${spec.jsonbFilter}&limit=50` };
      case 'list-range':
        return {
          method: 'GET',
          path:
            `${spec.path}?created_after=${encodeURIComponent(RANGE.after)}` +
            `&created_before=${encodeURIComponent(RANGE.before)}&limit=50`,
        };
    }
  };
  return { entity, name, listener: spec.listener, next };
}

export function operations(
  entities: readonly Entity[] = ['profiles', 'proposals'],
  names = OPERATION_NAMES,
): Operation[] {
  return entities.flatMap((entity) => names.map((name) => operation(entity, name)));
}

export const operationLabel = (op: Pick<Operation, 'entity' | 'name'>) => `${op.entity} ${op.name}`;
