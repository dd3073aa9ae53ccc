// GET /audit (admin): this service's audit trail, newest first, with the usual
// cursor and filters by resource, id, actor and time.
import { listAudit, MAX_PAGE_SIZE, type OpenDatabase } from '@analytics-engine/storage';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuerySchema } from '../pagination.js';
import { errorResponses, withoutNul } from '../route-schemas.js';

const text = (description: string) => withoutNul(z.string().min(1).max(255)).optional().describe(description);

const auditQuerySchema = pageQuerySchema.extend({
  created_after: pageQuerySchema.shape.created_after.describe('Only changes made strictly after this instant'),
  created_before: pageQuerySchema.shape.created_before.describe('Only changes made strictly before this instant'),
  resource: z.enum(['profile', 'client', 'proposal', 'license']).optional().describe('Only changes of this resource'),
  id: text('Only changes of the item with this id'),
  actor: text("Only changes by this actor: an API key's name, key:<fingerprint>, or anonymous"),
});

const auditEntrySchema = z.object({
  id: z.string().describe('Increases with every change'),
  occurred_at: z.string(),
  actor: z.string(),
  resource: z.string(),
  resource_id: z.string(),
  action: z.string().describe('create, update, replace, delete, test, discover, revoke'),
  changes: z.array(z.string()).describe('The names of the members changed, never their values'),
  request_id: z.string().nullable(),
});

export function registerAuditRoute(app: FastifyInstance, database: OpenDatabase, service: string): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/audit',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['audit'],
        summary: 'Who changed what, and when: newest first',
        description: `Every change this service made. Pages of up to ${String(MAX_PAGE_SIZE)}; pass next_cursor on.`,
        querystring: auditQuerySchema,
        response: {
          200: z.object({ items: z.array(auditEntrySchema), next_cursor: z.string().nullable() }),
          400: errorResponses[400],
          503: errorResponses[503],
        },
      },
    },
    async (request) => {
      const query = request.query;
      const page = await listAudit(database.db, {
        service,
        resource: query.resource,
        resourceId: query.id,
        actor: query.actor,
        occurredAfter: query.created_after,
        occurredBefore: query.created_before,
        limit: query.limit,
        cursor: query.cursor,
      });
      return { items: page.items, next_cursor: page.nextCursor };
    },
  );
}
