// The bare limit: a minimal Fastify app that runs the repositories' own SQL
// (captured by sql-shapes.ts) through a bare pg Pool of the service's size, as
// named prepared statements, with no validation, no logging, no encryption and
// JSON.stringify responses. Started as a child process by run.ts:
//   BENCH_DATABASE_URL, BENCH_SHAPES (a JSON file of Shapes), BENCH_POOL_MAX, PORT.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { buildApp } from '@analytics-engine/http';
import { changeParameters } from '@analytics-engine/storage';
import pg from 'pg';
import { auditEntry, bind, type Shape, type Shapes, type Slot, type TableShapes } from './sql-shapes.js';

type FastifyInstance = Awaited<ReturnType<typeof buildApp>>;
type Fastify = (options: { logger: boolean }) => FastifyInstance;

/**
 * fastify is a dependency of @analytics-engine/http, not of the root package, so
 * it is resolved from there (the same copy the services run).
 */
async function loadFastify(): Promise<Fastify> {
  const fromHttp = createRequire(import.meta.resolve('@analytics-engine/http'));
  const module = (await import(pathToFileURL(fromHttp.resolve('fastify')).href)) as { default: Fastify };
  return module.default;
}

interface Row {
  key: string;
  /** The document's JSON text: the repositories select it as text (pg would parse jsonb the same way). */
  data: string;
  created_at: string | null;
  updated_at?: string | null;
  version: string;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`bare-server: ${name} is not set`);
  return value;
}

const shapes = JSON.parse(readFileSync(required('BENCH_SHAPES'), 'utf8')) as Shapes;
const pool = new pg.Pool({ connectionString: required('BENCH_DATABASE_URL'), max: Number(required('BENCH_POOL_MAX')) });

type Queryable = Pick<pg.Pool, 'query'>;
const run = async (db: Queryable, name: string, shape: Shape, values: Partial<Record<Slot, unknown>>): Promise<Row[]> =>
  (await db.query<Row>({ name, text: shape.text, values: bind(shape, values) })).rows;

function flat(keyName: string, row: Row): Record<string, unknown> {
  return {
    [keyName]: row.key,
    ...(JSON.parse(row.data) as Record<string, unknown>),
    created_at: row.created_at,
    ...(row.updated_at !== undefined ? { updated_at: row.updated_at } : {}),
  };
}

/** One level of merge patch is all the benchmark's patches need. */
function mergeShallow(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const next = { ...current };
  for (const [field, value] of Object.entries(patch)) {
    const old = next[field];
    next[field] = value && typeof value === 'object' && old && typeof old === 'object' ? { ...old, ...value } : value;
  }
  return next;
}

async function inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

const fastify = await loadFastify();
const app = fastify({ logger: false });

interface Params {
  id: string;
}
interface ListQuery {
  type?: string;
  status?: string;
  created_after?: string;
  created_before?: string;
  limit?: string;
}

function routes(prefix: string, table: 'profiles' | 'proposals', keyName: string, shape: TableShapes): void {
  const named = (statement: string) => `${table}_${statement}`;
  // The audit row every write of the services records: the same statement, the same parameters.
  const [service, resource] = table === 'profiles' ? ['connector', 'profile'] : ['demo-config', 'proposal'];
  const recorded = (id: unknown, action: string, changes: string[]) => {
    const entry = { ...auditEntry(service, resource, String(id), action, changes), requestId: randomUUID() };
    const [audit, events] = changeParameters({ audit: [entry], events: [] });
    return { audit, events };
  };
  const json = (reply: { header(name: string, value: string): unknown }, body: unknown) => {
    reply.header('content-type', 'application/json; charset=utf-8');
    return JSON.stringify(body);
  };

  app.get<{ Params: Params }>(`${prefix}/:id`, async (request, reply) => {
    const [row] = await run(pool, named('get'), shape.get, { id: request.params.id });
    if (!row) return reply.status(404).send({ code: 'NOT_FOUND' });
    return json(reply, flat(keyName, row));
  });

  app.get<{ Querystring: ListQuery }>(prefix, async (request, reply) => {
    const { type, status, created_after, created_before } = request.query;
    const limit = Number(request.query.limit ?? 50);
    const filter = table === 'profiles' ? (type ? { type } : undefined) : status ? { status } : undefined;
    const rows = filter
      ? await run(pool, named('list_jsonb'), shape.listJsonb, {
          json: JSON.stringify(filter),
          filterValue: type ?? status,
          limitPlusOne: limit + 1,
        })
      : created_after && created_before
        ? await run(pool, named('list_range'), shape.listRange, {
            after: created_after,
            before: created_before,
            limitPlusOne: limit + 1,
          })
        : await run(pool, named('list_newest'), shape.listNewest, { limitPlusOne: limit + 1 });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    const next =
      rows.length > limit && last
        ? Buffer.from(JSON.stringify([last.created_at, last.key])).toString('base64url')
        : null;
    return json(reply, { items: items.map((row) => flat(keyName, row)), next_cursor: next });
  });

  app.post<{ Body: Record<string, unknown> }>(prefix, async (request, reply) => {
    const { [keyName]: id, ...document } = request.body;
    const insert = async (db: Queryable) =>
      run(db, named('create'), shape.create, {
        id,
        json: JSON.stringify(document),
        ...recorded(id, 'create', Object.keys(document).sort()),
      });
    const lockClient = shape.lockClient;
    const [row] = lockClient
      ? await inTransaction(async (client) => {
          await run(client, named('lock_client'), lockClient, { clientId: document.client_id });
          return insert(client);
        })
      : await insert(pool);
    if (!row) return reply.status(409).send({ code: 'ALREADY_EXISTS' });
    void reply.status(201);
    return json(reply, flat(keyName, row));
  });

  app.patch<{ Params: Params; Body: Record<string, unknown> }>(`${prefix}/:id`, async (request, reply) => {
    const row = await inTransaction(async (client) => {
      const [current] = await run(client, named('select_for_update'), shape.selectForUpdate, { id: request.params.id });
      if (!current) return undefined;
      const next = mergeShallow(JSON.parse(current.data) as Record<string, unknown>, request.body);
      const [updated] = await run(client, named('update'), shape.update, {
        id: request.params.id,
        json: JSON.stringify(next),
      });
      await run(client, named('record_change'), shape.recordChange, {
        ...recorded(request.params.id, 'update', Object.keys(request.body)),
      });
      return updated;
    });
    if (!row) return reply.status(404).send({ code: 'NOT_FOUND' });
    return json(reply, flat(keyName, row));
  });
}

routes('/connector/profiles', 'profiles', 'id', shapes.profiles);
routes('/demo/proposals', 'proposals', 'proposal_id', shapes.proposals);

const address = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.stdout.write(`bare ready at ${address}\n`);

const stop = () => {
  void app.close().then(() => pool.end());
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
