// /demo/proposals: create, read, list, merge-patch, replace, delete. Every
// write names an existing client (checked in the write's transaction, see
// client-references.ts) and keeps the proposal rules (proposal-rules.ts): the
// document rules through the repository's schema, the status rule inside
// `update`, against the row it holds locked.
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
import {
  AlreadyExistsError,
  applyMergePatch,
  createServiceProposalRepository,
  type OpenDatabase,
  type ServiceProposal,
  type StoredDocument,
} from '@analytics-engine/storage';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { checkBodyKey } from './body-key.js';
import { requireClient, type Executor } from './client-references.js';
import { generateProposalId, idempotentProposalId } from './proposal-ids.js';
import {
  assertInitialStatus,
  assertStatusTransition,
  parseProposal,
  proposalDocumentSchema,
  proposalSchemaErrorFormatter,
} from './proposal-rules.js';
import {
  createProposalBodySchema,
  listProposalsQuerySchema,
  patchProposalBodySchema,
  proposalPageSchema,
  proposalParamsSchema,
  proposalResponseSchema,
  replaceProposalBodySchema,
  type ProposalResponse,
} from './proposal-schemas.js';

export const PROPOSALS_PATH = '/demo/proposals';
const tags = ['service proposals'];
const { 400: badRequest, 404: notFound, 409: conflict, 412: stale, 422: unprocessable, 503: unavailable } = errorResponses;
const BROKEN_RULES =
  'client_id names no client (UNKNOWN_CLIENT), or a proposal rule is broken: TIMELINE_END_BEFORE_START, NEGATIVE_PRICING_TOTAL, NEGATIVE_RESOURCE_HOURS, PRICING_BREAKDOWN_MISMATCH';
const ruleErrors = {
  409: conflict.describe('The status cannot move that way (code INVALID_STATUS_TRANSITION)'),
  422: unprocessable.describe(BROKEN_RULES),
};

/** Generated ids collide once in millions; a few tries make a failure practically impossible. */
const GENERATED_ID_ATTEMPTS = 5;

/** The flat shape: proposal_id, the proposal fields, then created_at (the table has no updated_at). */
export function toProposalResponse(stored: StoredDocument<ServiceProposal>): ProposalResponse {
  return { proposal_id: stored.key, ...stored.data, created_at: stored.createdAt };
}

export function registerProposalRoutes(app: FastifyInstance, database: OpenDatabase): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const proposalsIn = (executor: Executor) => createServiceProposalRepository(executor, proposalDocumentSchema);
  const proposals = proposalsIn(database.db);

  const send = (reply: FastifyReply, stored: StoredDocument<ServiceProposal>) => {
    setEtag(reply, stored.version);
    return toProposalResponse(stored);
  };

  routes.post(
    PROPOSALS_PATH,
    {
      schema: {
        tags,
        summary: 'Create a proposal',
        description:
          'proposal_id is optional (generated when absent); status defaults to draft and may start as draft or sent; client_id must name an existing client.',
        body: createProposalBodySchema,
        response: {
          201: proposalResponseSchema,
          ...writeErrorResponses,
          409: conflict.describe('A proposal with this proposal_id exists'),
          422: unprocessable.describe(`${BROKEN_RULES}, or status is accepted or rejected (INVALID_INITIAL_STATUS)`),
        },
      },
      schemaErrorFormatter: proposalSchemaErrorFormatter,
    },
    async (request, reply) => {
      const { proposal_id, ...document } = request.body;
      assertInitialStatus(document.status);
      const stored = await database.db.transaction().execute(async (trx) => {
        await requireClient(trx, document.client_id);
        const repository = proposalsIn(trx);
        if (proposal_id !== undefined) return repository.create(proposal_id, document);
        if (request.idempotency) {
          // A retry whose first attempt wrote the proposal but lost its answer: that proposal is the answer.
          const id = idempotentProposalId(request.idempotency);
          return (await repository.get(id)) ?? (await repository.create(id, document));
        }
        for (let attempt = 1; ; attempt++) {
          try {
            return await repository.create(generateProposalId(), document);
          } catch (error) {
            if (!(error instanceof AlreadyExistsError) || attempt >= GENERATED_ID_ATTEMPTS) throw error;
          }
        }
      });
      void reply.status(201).header('location', `${PROPOSALS_PATH}/${encodeURIComponent(stored.key)}`);
      return send(reply, stored);
    },
  );

  routes.get(
    PROPOSALS_PATH,
    {
      schema: {
        tags,
        summary: 'List proposals, newest first',
        querystring: listProposalsQuerySchema,
        response: { 200: proposalPageSchema, 400: badRequest, 503: unavailable },
      },
    },
    async (request) => {
      const { client_id, status, proposal_type, ...page } = request.query;
      const result = await proposals.list({ ...pageOptions(page), client_id, status, proposal_type });
      return { items: result.items.map(toProposalResponse), next_cursor: result.nextCursor };
    },
  );

  routes.get(
    `${PROPOSALS_PATH}/:proposal_id`,
    {
      schema: {
        tags,
        summary: 'Read a proposal',
        params: proposalParamsSchema,
        response: { 200: proposalResponseSchema, 400: badRequest, 404: notFound, 503: unavailable },
      },
    },
    async (request, reply) => {
      const { proposal_id } = request.params;
      const stored = await proposals.get(proposal_id);
      if (!stored) throw notFoundError(`proposal '${proposal_id}'`);
      return send(reply, stored);
    },
  );

  routes.patch(
    `${PROPOSALS_PATH}/:proposal_id`,
    {
      schema: {
        tags,
        summary: 'Change some fields (JSON Merge Patch), e.g. move the status',
        description:
          'A field left out is kept, null removes it, a value replaces it; pricing, timeline and resources merge member by member. The result must keep every proposal rule; status moves only draft -> sent -> accepted | rejected.',
        params: proposalParamsSchema,
        headers: ifMatchHeadersSchema,
        body: patchProposalBodySchema,
        response: { 200: proposalResponseSchema, ...writeErrorResponses, 404: notFound, 412: stale, ...ruleErrors },
      },
      schemaErrorFormatter: proposalSchemaErrorFormatter,
    },
    async (request, reply) => {
      const { proposal_id } = request.params;
      const { proposal_id: bodyId, ...patch } = request.body;
      checkBodyKey('proposal_id', proposal_id, bodyId);
      const ifVersion = ifMatchVersion(request);
      const stored = await database.db.transaction().execute(async (trx) => {
        const repository = proposalsIn(trx);
        if (patch.client_id !== undefined) {
          // A missing proposal is a 404 before the client is looked at.
          if (!(await repository.get(proposal_id))) throw notFoundError(`proposal '${proposal_id}'`);
          await requireClient(trx, patch.client_id);
        }
        return repository.update(
          proposal_id,
          (current) => {
            assertStatusTransition(current.status, patch.status ?? current.status);
            return parseProposal(applyMergePatch(current, patch));
          },
          { ifVersion },
        );
      });
      return send(reply, stored);
    },
  );

  routes.put(
    `${PROPOSALS_PATH}/:proposal_id`,
    {
      schema: {
        tags,
        summary: 'Replace a proposal',
        description: 'Full replace: a field left out is removed, and an absent status means draft. The status rule applies as for PATCH.',
        params: proposalParamsSchema,
        headers: ifMatchHeadersSchema,
        body: replaceProposalBodySchema,
        response: { 200: proposalResponseSchema, ...writeErrorResponses, 404: notFound, 412: stale, ...ruleErrors },
      },
      schemaErrorFormatter: proposalSchemaErrorFormatter,
    },
    async (request, reply) => {
      const { proposal_id } = request.params;
      const { proposal_id: bodyId, ...document } = request.body;
      checkBodyKey('proposal_id', proposal_id, bodyId);
      const ifVersion = ifMatchVersion(request);
      const stored = await database.db.transaction().execute(async (trx) => {
        const repository = proposalsIn(trx);
        if (!(await repository.get(proposal_id))) throw notFoundError(`proposal '${proposal_id}'`);
        await requireClient(trx, document.client_id);
        return repository.update(
          proposal_id,
          (current) => {
            assertStatusTransition(current.status, document.status);
            return document;
          },
          { ifVersion },
        );
      });
      return send(reply, stored);
    },
  );

  routes.delete(
    `${PROPOSALS_PATH}/:proposal_id`,
    {
      schema: {
        tags,
        summary: 'Delete a proposal',
        params: proposalParamsSchema,
        headers: ifMatchHeadersSchema,
        response: { 204: noContentSchema, 400: badRequest, 404: notFound, 412: stale, 503: unavailable },
      },
    },
    async (request, reply) => {
      await proposals.delete(request.params.proposal_id, { ifVersion: ifMatchVersion(request) });
      return reply.status(204).send(null);
    },
  );
}

