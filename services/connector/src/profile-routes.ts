// /connector/profiles: create, read, list, merge-patch, replace, delete. Bodies
// are never logged; secrets are sealed before the repository sees them.
import {
  ApiError,
  errorResponses,
  ifMatchHeadersSchema,
  ifMatchVersion,
  notFoundError,
  pageOptions,
  setEtag,
  writeErrorResponses as writeErrors,
  type ZodTypeProvider,
} from '@analytics-engine/http';
import {
  createConnectorProfileRepository,
  findUnstorableText,
  InvalidDocumentError,
  type ConnectorProfile,
  type OpenDatabase,
  type StoredDocument,
} from '@analytics-engine/storage';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ProfileSecrets } from './profile-secrets.js';
import {
  createProfileBodySchema,
  listProfilesQuerySchema,
  patchProfileBodySchema,
  profilePageSchema,
  profileParamsSchema,
  profileResponseSchema,
  replaceProfileBodySchema,
} from './profile-schemas.js';

const PREFIX = '/connector/profiles';
const tags = ['connector profiles'];

const { 400: badRequest, 404: notFound, 409: conflict, 412: stale, 503: unavailable } = errorResponses;

export function registerProfileRoutes(app: FastifyInstance, database: OpenDatabase, secrets: ProfileSecrets): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const profiles = createConnectorProfileRepository(database.db);

  const send = (request: FastifyRequest, reply: FastifyReply, stored: StoredDocument<ConnectorProfile>) => {
    setEtag(reply, stored.version);
    return secrets.toResponse(stored, request.log);
  };

  routes.post(
    PREFIX,
    {
      schema: {
        tags,
        summary: 'Create a profile',
        description: 'Secrets (connection_string, credentials.password) are encrypted before they are stored and never returned.',
        body: createProfileBodySchema,
        response: { 201: profileResponseSchema, ...writeErrors, 409: conflict },
      },
    },
    async (request, reply) => {
      const { id, ...fields } = request.body;
      rejectUnstorableText(fields);
      const stored = await profiles.create(id, secrets.sealDocument(id, fields));
      void reply.status(201).header('location', `${PREFIX}/${encodeURIComponent(id)}`);
      return send(request, reply, stored);
    },
  );

  routes.get(
    PREFIX,
    {
      schema: {
        tags,
        summary: 'List profiles, newest first',
        querystring: listProfilesQuerySchema,
        response: { 200: profilePageSchema, 400: badRequest, 503: unavailable },
      },
    },
    async (request) => {
      const { type, test_status, ...page } = request.query;
      const result = await profiles.list({ ...pageOptions(page), type, test_status });
      return { items: result.items.map((stored) => secrets.toResponse(stored, request.log)), next_cursor: result.nextCursor };
    },
  );

  routes.get(
    `${PREFIX}/:id`,
    {
      schema: {
        tags,
        summary: 'Read a profile',
        params: profileParamsSchema,
        response: { 200: profileResponseSchema, 400: badRequest, 404: notFound, 503: unavailable },
      },
    },
    async (request, reply) => {
      const stored = await profiles.get(request.params.id);
      if (!stored) throw notFoundError(`'${request.params.id}'`);
      return send(request, reply, stored);
    },
  );

  routes.patch(
    `${PREFIX}/:id`,
    {
      schema: {
        tags,
        summary: 'Change some fields (JSON Merge Patch)',
        description: 'A field left out is kept, null clears it, a value replaces it; objects (credentials, schema_info) merge field by field.',
        params: profileParamsSchema,
        headers: ifMatchHeadersSchema,
        body: patchProfileBodySchema,
        response: { 200: profileResponseSchema, ...writeErrors, 404: notFound, 412: stale },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { id: bodyId, ...patch } = request.body;
      checkBodyId(id, bodyId);
      rejectUnstorableText(patch);
      const stored = await profiles.merge(id, secrets.sealPatch(id, patch), { ifVersion: ifMatchVersion(request) });
      return send(request, reply, stored);
    },
  );

  routes.put(
    `${PREFIX}/:id`,
    {
      schema: {
        tags,
        summary: 'Replace a profile',
        description: 'Full replace: a field left out is removed, secrets included. Use PATCH to keep the stored secrets.',
        params: profileParamsSchema,
        headers: ifMatchHeadersSchema,
        body: replaceProfileBodySchema,
        response: { 200: profileResponseSchema, ...writeErrors, 404: notFound, 412: stale },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { id: bodyId, ...fields } = request.body;
      checkBodyId(id, bodyId);
      rejectUnstorableText(fields);
      const stored = await profiles.replace(id, secrets.sealDocument(id, fields), { ifVersion: ifMatchVersion(request) });
      return send(request, reply, stored);
    },
  );

  routes.delete(
    `${PREFIX}/:id`,
    {
      schema: {
        tags,
        summary: 'Delete a profile',
        params: profileParamsSchema,
        headers: ifMatchHeadersSchema,
        response: { 204: z.null().describe('Deleted'), 400: badRequest, 404: notFound, 412: stale, 503: unavailable },
      },
    },
    async (request, reply) => {
      await profiles.delete(request.params.id, { ifVersion: ifMatchVersion(request) });
      return reply.status(204).send(null);
    },
  );
}

/** PostgreSQL's JSONB cannot store U+0000 or a lone surrogate; secrets are checked too, though they are stored sealed. */
function rejectUnstorableText(body: unknown): void {
  const issue = findUnstorableText(body);
  if (issue) throw new InvalidDocumentError([issue]);
}

function checkBodyId(pathId: string, bodyId: string | undefined): void {
  if (bodyId !== undefined && bodyId !== pathId) {
    throw new ApiError(400, 'VALIDATION_FAILED', 'body.id: must equal the id in the path', [
      { path: 'body.id', message: 'must equal the id in the path' },
    ]);
  }
}
