// /health: the process answers. /ready: the database answers and the schema is
// at head, so a load balancer or compose sends traffic only where it can succeed.
// With events on, /ready also tells how many wait in the outbox: a backlog over
// EVENTS_BACKLOG_LIMIT or Redis away is reported there, never by failing writes.
import { outboxBacklog, schemaReadiness, type OpenDatabase, type ReplicaStatus } from '@analytics-engine/storage';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { EventRelay } from './changes/event-relay.js';
import { registerNoStore } from './protections/index.js';

const READY_TIMEOUT_MS = 2_000;

const healthSchema = z.object({ status: z.literal('ok') });
const readySchema = z.object({
  status: z.enum(['ready', 'unavailable']),
  database: z.enum(['postgres', 'embedded']),
  revision: z.string().nullable(),
  reason: z.string().optional(),
  events: z
    .object({
      redis: z.enum(['up', 'down']),
      backlog: z.number().describe('Events waiting in the outbox'),
      oldest_age_ms: z.number().describe('How long the oldest of them has waited'),
      over_limit: z.boolean().describe('backlog is above EVENTS_BACKLOG_LIMIT'),
    })
    .optional()
    .describe('With EVENTS_REDIS_URL set: the event relay'),
  replicas: z
    .array(
      z.object({
        location: z.string().describe('The replica, without its password'),
        serving: z.boolean().describe('It answers, is in recovery and lags no more than DATABASE_READ_MAX_LAG_MS'),
        lag_ms: z.number().nullable(),
        reason: z.string().nullable().describe('Why it serves no reads, when it does not'),
      }),
    )
    .optional()
    .describe('With DATABASE_READ_URL set: the read replicas (readiness is about the primary)'),
});

/** What /ready reports of the events, when they are on. */
export interface ReadyEvents {
  readonly relay: EventRelay;
  readonly service: string;
  readonly backlogLimit: number;
}

/** Outside the protected scope: anyone may ask, and a loaded service still answers. */
export async function registerHealthRoutes(
  app: FastifyInstance,
  database: OpenDatabase,
  events?: ReadyEvents,
): Promise<void> {
  await app.register((scope, _options, done) => {
    registerNoStore(scope);
    healthRoutes(scope, database, events);
    done();
  });
}

function healthRoutes(app: FastifyInstance, database: OpenDatabase, events: ReadyEvents | undefined): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.get(
    '/health',
    { schema: { tags: ['health'], summary: 'Liveness: the process answers', response: { 200: healthSchema } } },
    () => ({ status: 'ok' as const }),
  );
  routes.get(
    '/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: the database answers and the schema is at head',
        response: { 200: readySchema, 503: readySchema },
      },
    },
    async (_request, reply) => {
      try {
        const status = await withTimeout(schemaReadiness(database.db));
        const body = {
          database: database.mode,
          revision: status.current ?? null,
          ...(events && status.pending.length === 0 ? { events: await eventsDetail(database, events) } : {}),
          ...(database.replicas ? { replicas: replicasDetail(database.replicas.status()) } : {}),
        };
        if (status.pending.length === 0) return { status: 'ready' as const, ...body };
        return await reply
          .status(503)
          .send({ status: 'unavailable', ...body, reason: `pending migrations: ${status.pending.join(', ')}` });
      } catch (error) {
        const reason =
          error instanceof TimeoutError ? 'the database did not answer in time' : 'the database is unreachable';
        return reply.status(503).send({ status: 'unavailable', database: database.mode, revision: null, reason });
      }
    },
  );
}

class TimeoutError extends Error {}

async function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new TimeoutError());
    }, READY_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function eventsDetail(database: OpenDatabase, { relay, service, backlogLimit }: ReadyEvents) {
  const backlog = await withTimeout(outboxBacklog(database.db, service));
  return {
    redis: relay.status().redisUp ? ('up' as const) : ('down' as const),
    backlog: backlog.pending,
    oldest_age_ms: backlog.oldestAgeMs,
    over_limit: backlog.pending > backlogLimit,
  };
}

function replicasDetail(replicas: readonly ReplicaStatus[]) {
  return replicas.map(({ location, serving, lagMs, reason }) => ({
    location,
    serving,
    lag_ms: lagMs ?? null,
    reason: reason ?? null,
  }));
}
