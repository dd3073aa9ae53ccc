// The SQL the repositories actually run, captured from the storage package
// itself at the wire (every statement node-postgres sends, named prepared
// statements included), inside a transaction that is rolled back. The bare server prepares exactly these
// statements and the scale study EXPLAINs them, so neither drifts from the code.
import {
  appendChanges,
  createClientConfigRepository,
  createConnectorProfileRepository,
  createServiceProposalRepository,
  databaseConfigFromEnv,
  openDatabase,
} from '@analytics-engine/storage';
import pg from 'pg';
import { CLIENT_PREFIX, PROFILE_PREFIX, PROPOSAL_PREFIX, RANGE } from './seed.js';

/** What a parameter of a captured statement stands for. */
export type Slot =
  'id' | 'clientId' | 'json' | 'filterValue' | 'limitPlusOne' | 'after' | 'before' | 'audit' | 'events';

export interface Shape {
  readonly text: string;
  readonly slots: Slot[];
  /** The values it was captured with (for EXPLAIN). */
  readonly sample: unknown[];
}

export interface TableShapes {
  readonly get: Shape;
  readonly listNewest: Shape;
  readonly listJsonb: Shape;
  readonly listRange: Shape;
  /** proposals only: the client read FOR SHARE before the insert, in one transaction. */
  readonly lockClient?: Shape;
  /** The insert with its audit row (and events) in one statement, as every create of the services sends it. */
  readonly create: Shape;
  readonly selectForUpdate: Shape;
  readonly update: Shape;
  /** The audit row (and events) of an update, in the update's transaction. */
  readonly recordChange: Shape;
}

export interface Shapes {
  readonly profiles: TableShapes;
  readonly proposals: TableShapes;
}

const LIMIT = 50;
const PROBE_ID = 'bench-shape-probe';
const PROBE_CLIENT = `${CLIENT_PREFIX}1`;

class Rollback extends Error {}

function slotOf(value: unknown): Slot {
  if (value === PROBE_ID || value === `${PROFILE_PREFIX}1` || value === `${PROPOSAL_PREFIX}1`) return 'id';
  if (value === PROBE_CLIENT) return 'clientId';
  if (value === LIMIT + 1) return 'limitPlusOne';
  if (value === RANGE.after) return 'after';
  if (value === RANGE.before) return 'before';
  // A filter's value named as text beside its containment (a member with an index of its own).
  if (value === 'sent' || value === 'sql') return 'filterValue';
  if (typeof value === 'string' && value.startsWith('{')) return 'json';
  // The change rows travel as JSON arrays: the audit rows, then the events (none with events off).
  if (value === '[]') return 'events';
  if (typeof value === 'string' && value.startsWith('[')) return 'audit';
  throw new Error(`sql-shapes: a captured parameter has no known meaning: ${JSON.stringify(value)}`);
}

/** A change's audit row as the services write it (the bench's key is named `bench`). */
export function auditEntry(service: string, resource: string, id: string, action: string, changes: string[]) {
  return { service, actor: 'bench', resource, resourceId: id, action, changes, requestId: PROBE_ID };
}

/** Runs the repositories' calls on a seeded database and returns the statements they sent. */
export async function captureShapes(databaseUrl: string): Promise<Shapes> {
  const database = await openDatabase(
    databaseConfigFromEnv({ DATABASE_URL: databaseUrl, DATABASE_POOL_MAX: '1' }, 'bench-shapes'),
  );
  const captured: { sql: string; parameters: readonly unknown[] }[] = [];
  // The storage package's pg is this one (one copy in the workspace): spy on what
  // its clients send, as text and values, whichever way Kysely built the statement.
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const send = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const [first, second] = args;
    const { text, values } =
      typeof first === 'string'
        ? { text: first, values: Array.isArray(second) ? (second as unknown[]) : [] }
        : ((first ?? {}) as { text?: string; values?: unknown[] });
    // Transaction control, and the pool's look at a new connection (is a pooler in between?), are no shape.
    if (typeof text === 'string' && !/^\s*(begin|commit|rollback|savepoint|release)\b|pg_backend_pid\(\)/i.test(text))
      captured.push({ sql: text, parameters: values ?? [] });
    return send.apply(this, args);
  };
  const take = (): Shape => {
    const query = captured.shift();
    if (!query) throw new Error('sql-shapes: a repository call sent no statement');
    return { text: query.sql, slots: query.parameters.map(slotOf), sample: [...query.parameters] };
  };
  let shapes: Shapes | undefined;
  try {
    await database.db.transaction().execute(async (trx) => {
      const profiles = createConnectorProfileRepository(trx);
      await profiles.get(`${PROFILE_PREFIX}1`);
      await profiles.list({ limit: LIMIT });
      await profiles.list({ limit: LIMIT, type: 'sql' });
      await profiles.list({ limit: LIMIT, createdAfter: RANGE.after, createdBefore: RANGE.before });
      const profileAudit = (id: string, action: string, changes: string[]) => ({
        audit: [auditEntry('connector', 'profile', id, action, changes)],
        events: [],
      });
      await profiles.create(PROBE_ID, { name: 'probe', type: 'sql' }, { record: profileAudit(PROBE_ID, 'create', []) });
      await profiles.merge(`${PROFILE_PREFIX}1`, { name: 'renamed' });
      await appendChanges(trx, profileAudit(`${PROFILE_PREFIX}1`, 'update', ['name']).audit, []);
      // Object literals evaluate in source order: the statements in the order sent.
      const profileShapes: TableShapes = {
        get: take(),
        listNewest: take(),
        listJsonb: take(),
        listRange: take(),
        create: take(),
        selectForUpdate: take(),
        update: take(),
        recordChange: take(),
      };

      const proposals = createServiceProposalRepository(trx);
      await proposals.get(`${PROPOSAL_PREFIX}1`);
      await proposals.list({ limit: LIMIT });
      await proposals.list({ limit: LIMIT, status: 'sent' });
      await proposals.list({ limit: LIMIT, createdAfter: RANGE.after, createdBefore: RANGE.before });
      await createClientConfigRepository(trx).get(PROBE_CLIENT, { lock: 'share' });
      const proposalAudit = (id: string, action: string, changes: string[]) => ({
        audit: [auditEntry('demo-config', 'proposal', id, action, changes)],
        events: [],
      });
      await proposals.create(
        PROBE_ID,
        { client_id: PROBE_CLIENT, proposal_type: 'consulting', status: 'draft' },
        { record: proposalAudit(PROBE_ID, 'create', []) },
      );
      await proposals.merge(`${PROPOSAL_PREFIX}1`, { resources: { hours: 1 } });
      await appendChanges(trx, proposalAudit(`${PROPOSAL_PREFIX}1`, 'update', ['resources']).audit, []);
      const proposalShapes: TableShapes = {
        get: take(),
        listNewest: take(),
        listJsonb: take(),
        listRange: take(),
        lockClient: take(),
        create: take(),
        selectForUpdate: take(),
        update: take(),
        recordChange: take(),
      };
      if (captured.length > 0)
        throw new Error(`sql-shapes: unexpected statements: ${captured.map((q) => q.sql).join('; ')}`);
      shapes = { profiles: profileShapes, proposals: proposalShapes };
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  } finally {
    prototype.query = send;
    await database.close();
  }
  if (!shapes) throw new Error('sql-shapes: capture incomplete');
  return shapes;
}

/** The parameter list of a shape, from the values of its slots. */
export function bind(shape: Shape, values: Partial<Record<Slot, unknown>>): unknown[] {
  return shape.slots.map((slot) => {
    const value = values[slot];
    if (value === undefined) throw new Error(`no value for ${slot} in: ${shape.text}`);
    return value;
  });
}
