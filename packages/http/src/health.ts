// /health: the process answers. /ready: the database answers and the schema is
// at head, so a load balancer or compose sends traffic only where it can succeed.
import { schemaReadiness, type OpenDatabase } from '@analytics-engine/storage';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { registerNoStore } from './protections/index.js';

const READY_TIMEOUT_MS = 2_000;

const healthSchema = z.object({ status: z.literal('ok') });
const readySchema = z.object({
  status: z.enum(['ready', 'unavailable']),
  database: z.enum(['postgres', 'embedded']),
  revision: z.string().nullable(),
  reason: z.string().optional(),
});

/** Outside the protected scope: anyone may ask, and a loaded service still answers. */
export async function registerHealthRoutes(app: FastifyInstance, database: OpenDatabase): Promise<void> {
  await app.register((scope, _options, done) => {
    registerNoStore(scope);
    healthRoutes(scope, database);
    done();
  });
}

function healthRoutes(app: FastifyInstance, database: OpenDatabase): void {
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
        const body = { database: database.mode, revision: status.current ?? null };
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
