// /demo/clients: create, read, list, merge-patch, replace, delete. Bodies are
// never logged. Every single-client response carries an ETag; PATCH, PUT and
// DELETE honour If-Match.
import {
  errorResponses,
  ifMatchHeadersSchema,
  ifMatchVersion,
  noContentSchema,
  notFoundError,
  pageOptions,
  setEtag,
  writeErrorResponses,
  type ZodTypeProvider,
} from '@analytics-engine/http';
import { createClientConfigRepository, type ClientConfig, type OpenDatabase, type StoredDocument } from '@analytics-engine/storage';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { deleteClient } from './client-references.js';
import {
  clientPageSchema,
  clientParamsSchema,
  clientResponseSchema,
  createClientBodySchema,
  deleteClientQuerySchema,
  listClientsQuerySchema,
  patchClientBodySchema,
  replaceClientBodySchema,
  type ClientResponse,
} from './client-schemas.js';
import { checkBodyKey } from './body-key.js';

export const CLIENTS_PATH = '/demo/clients';
const tags = ['client configs'];
const { 400: badRequest, 404: notFound, 409: conflict, 412: stale, 503: unavailable } = errorResponses;

/** The flat shape: client_id, the config fields, then the timestamps. */
export function toClientResponse(stored: StoredDocument<ClientConfig>): ClientResponse {
  return { client_id: stored.key, ...stored.data, created_at: stored.createdAt, updated_at: stored.updatedAt ?? null };
}

export function registerClientRoutes(app: FastifyInstance, database: OpenDatabase): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const clients = createClientConfigRepository(database.db);

  const send = (reply: FastifyReply, stored: StoredDocument<ClientConfig>) => {
    setEtag(reply, stored.version);
    return toClientResponse(stored);
  };

  routes.post(
    CLIENTS_PATH,
    {
      schema: {
        tags,
        summary: 'Create a client configuration',
        body: createClientBodySchema,
        response: { 201: clientResponseSchema, ...writeErrorResponses, 409: conflict.describe('A client with this client_id exists') },
      },
    },
    async (request, reply) => {
      const { client_id, ...config } = request.body;
      const stored = await clients.create(client_id, config);
      void reply.status(201).header('location', `${CLIENTS_PATH}/${encodeURIComponent(client_id)}`);
      return send(reply, stored);
    },
  );

  routes.get(
    CLIENTS_PATH,
    {
      schema: {
        tags,
        summary: 'List client configurations, newest first',
        querystring: listClientsQuerySchema,
        response: { 200: clientPageSchema, 400: badRequest, 503: unavailable },
      },
    },
    async (request) => {
      const { license_type, module, ...page } = request.query;
      const result = await clients.list({ ...pageOptions(page), license_type, module });
      return { items: result.items.map(toClientResponse), next_cursor: result.nextCursor };
    },
  );

  routes.get(
    `${CLIENTS_PATH}/:client_id`,
    {
      schema: {
        tags,
        summary: 'Read a client configuration',
        params: clientParamsSchema,
        response: { 200: clientResponseSchema, 400: badRequest, 404: notFound, 503: unavailable },
      },
    },
    async (request, reply) => {
      const { client_id } = request.params;
      const stored = await clients.get(client_id);
      if (!stored) throw notFoundError(`client '${client_id}'`);
      return send(reply, stored);
    },
  );

  routes.patch(
    `${CLIENTS_PATH}/:client_id`,
    {
      schema: {
        tags,
        summary: 'Change some fields (JSON Merge Patch)',
        description: 'A field left out is kept, null removes it, a value replaces it; preferences merges member by member.',
        params: clientParamsSchema,
        headers: ifMatchHeadersSchema,
        body: patchClientBodySchema,
        response: { 200: clientResponseSchema, ...writeErrorResponses, 404: notFound, 412: stale },
      },
    },
    async (request, reply) => {
      const { client_id } = request.params;
      const { client_id: bodyId, ...patch } = request.body;
      checkBodyKey('client_id', client_id, bodyId);
      const stored = await clients.merge(client_id, patch, { ifVersion: ifMatchVersion(request) });
      return send(reply, stored);
    },
  );

  routes.put(
    `${CLIENTS_PATH}/:client_id`,
    {
      schema: {
        tags,
        summary: 'Replace a client configuration',
        description: 'Full replace: a field left out is removed.',
        params: clientParamsSchema,
        headers: ifMatchHeadersSchema,
        body: replaceClientBodySchema,
        response: { 200: clientResponseSchema, ...writeErrorResponses, 404: notFound, 412: stale },
      },
    },
    async (request, reply) => {
      const { client_id } = request.params;
      const { client_id: bodyId, ...config } = request.body;
      checkBodyKey('client_id', client_id, bodyId);
      const stored = await clients.replace(client_id, config, { ifVersion: ifMatchVersion(request) });
      return send(reply, stored);
    },
  );

  routes.delete(
    `${CLIENTS_PATH}/:client_id`,
    {
      schema: {
        tags,
        summary: 'Delete a client configuration',
        description:
          'A client that proposals still name is a 409, unless ?cascade=true: then the client and its proposals are deleted in one transaction.',
        params: clientParamsSchema,
        querystring: deleteClientQuerySchema,
        headers: ifMatchHeadersSchema,
        response: {
          204: noContentSchema,
          400: badRequest,
          404: notFound,
          409: conflict.describe('Proposals still name this client (code CLIENT_HAS_PROPOSALS): delete with ?cascade=true to remove them too'),
          412: stale,
          503: unavailable,
        },
      },
    },
    async (request, reply) => {
      await deleteClient(database.db, request.params.client_id, {
        cascade: request.query.cascade === 'true',
        ifVersion: ifMatchVersion(request),
      });
      return reply.status(204).send(null);
    },
  );
}
