// /demo/proposals: the service proposals, a document resource. What is its own:
// generated readable ids, the client every proposal names (locked in the write's
// transaction, see client-references.ts), the proposal rules (proposal-rules.ts),
// and proposals generated from a questionnaire (proposal-generation.ts).
import { errorResponses, notFoundError, type DocumentResourceDefinition } from '@analytics-engine/http';
import {
  createClientConfigRepository,
  createServiceProposalRepository,
  keySchema,
  type ClientConfig,
  type ServiceProposal,
  type StoredDocument,
} from '@analytics-engine/storage';
import { requireClient } from './client-references.js';
import type { LicenseSigningKeyRing } from './licenses/signing-keys.js';
import { acceptProposal, keepLicense } from './proposal-acceptance.js';
import { withGeneratedQuote } from './proposal-generation.js';
import type { PriceBook } from './proposal-generator/index.js';
import { generateProposalId, idempotentProposalId } from './proposal-ids.js';
import { checkStatusChange, proposalDocumentSchema, proposalRules, proposalSchema } from './proposal-rules.js';

const field = proposalDocumentSchema.shape;
const { 409: conflict, 422: unprocessable } = errorResponses;
const BROKEN_RULES =
  'client_id names no client (UNKNOWN_CLIENT), or a proposal rule is broken: TIMELINE_END_BEFORE_START, NEGATIVE_PRICING_TOTAL, ' +
  'NEGATIVE_RESOURCE_HOURS, PRICING_BREAKDOWN_MISMATCH; or no value chains to price (NO_VALUE_CHAINS); or a generated member ' +
  '(quote, price_book, license, or pricing/timeline/resources of a generated proposal) is written (GENERATED_FIELD)';

const guideProposalExample = { client_id: 'test-client-001', proposal_type: 'implementation', status: 'draft' };
const fullProposalExample = {
  client_id: 'test-client-001',
  proposal_type: 'implementation',
  pricing: { total: 48000, breakdown: { licenses: 18000, implementation: 24000, training: 6000 } },
  timeline: {
    start_date: '2026-01-05',
    end_date: '2026-03-27',
    phases: [
      { name: 'Discovery', weeks: 2 },
      { name: 'Build', weeks: 8 },
    ],
  },
  resources: { consultants: ['Lead consultant', 'Data engineer'], hours: 320 },
  status: 'draft',
};

/** Today in UTC, the quote date of a proposal generated now. */
const todayUtc = () => new Date().toISOString().slice(0, 10);

export const proposalResource = (book: PriceBook, ring: LicenseSigningKeyRing): DocumentResourceDefinition<ServiceProposal> => ({
  path: '/demo/proposals',
  key: { name: 'proposal_id', schema: keySchema.describe('Proposal identifier, 1 to 255 characters').meta({ examples: ['prop-001'] }) },
  noun: 'proposal',
  title: { one: 'proposal', many: 'proposals' },
  tag: 'service proposals',
  document: proposalDocumentSchema.extend({
    status: field.status.describe(
      'draft (the default) or sent on create; then draft -> sent -> accepted | rejected, accepted and rejected are final. ' +
        'Absent on PUT means draft, as on create: send the current status to keep it',
    ),
  }),
  rules: proposalRules,
  filters: {
    client_id: field.client_id.optional().describe('Only proposals for this client'),
    status: field.status.unwrap().optional().describe('Only proposals with this status'),
    proposal_type: field.proposal_type.optional().describe('Only proposals of this type'),
  },
  repository: (executor) => createServiceProposalRepository(executor, proposalSchema),
  hasUpdatedAt: false,
  generatedKeys: {
    description: 'Optional: when absent a readable unique id is generated, e.g. prop-20261125-7f3a9c',
    generate: () => generateProposalId(),
    fromIdempotencyKey: idempotentProposalId,
  },
  // The client the write names (held), or the proposal's own when the write reprices or may accept it:
  // always before the proposal's row, so locks are taken in one order.
  lockReferences: async ({ executor, key, body, current }): Promise<StoredDocument<ClientConfig> | undefined> => {
    // An acceptance writes the client's licence: held for update, so two acceptances queue instead of deadlocking.
    const lock = body.status === 'accepted' ? 'update' : 'share';
    if (typeof body.client_id !== 'string') {
      if (body.questionnaire === undefined && lock === 'share') return undefined;
      const clientId = (await current?.())?.data.client_id;
      return clientId === undefined ? undefined : createClientConfigRepository(executor).get(clientId, { lock });
    }
    try {
      return await requireClient(executor, body.client_id, lock);
    } catch (error) {
      // A missing proposal is a 404 before its client is looked at.
      if (current && !(await current())) throw notFoundError(`proposal '${key ?? ''}'`);
      throw error;
    }
  },
  prepare: async ({ executor, current, next, body, references, request }) => {
    checkStatusChange(current, next);
    const client = references as StoredDocument<ClientConfig> | undefined;
    const generation = () => ({ book, today: todayUtc(), clientModules: client?.data.modules });
    const document = withGeneratedQuote(current, keepLicense(current, next, body), generation);
    if (current?.status !== 'sent' || document.status !== 'accepted') return document;
    const proposalId = (request.params as { proposal_id: string }).proposal_id;
    return acceptProposal({ executor, proposalId, next: document, client, ring, now: new Date() });
  },
  responses: {
    create: { 422: unprocessable.describe(`${BROKEN_RULES}, or status is accepted or rejected (INVALID_INITIAL_STATUS)`) },
    update: {
      409: conflict.describe(
        'The status cannot move that way (INVALID_STATUS_TRANSITION), the questionnaire of a sent proposal is frozen ' +
          '(PROPOSAL_FROZEN), or the proposal expired before it was accepted (PROPOSAL_EXPIRED)',
      ),
      422: unprocessable.describe(BROKEN_RULES),
    },
  },
  docs: {
    operations: {
      create:
        'proposal_id is optional (generated when absent); status defaults to draft and may start as draft or sent; ' +
        'client_id must name an existing client.',
      patch:
        'A field left out is kept, null removes it, a value replaces it; pricing, timeline and resources merge member by member. ' +
        'The result must keep every proposal rule; status moves only draft -> sent -> accepted | rejected.',
      replace: 'Full replace: a field left out is removed, and an absent status means draft. The status rule applies as for PATCH.',
    },
    create: { examples: [{ proposal_id: 'prop-001', ...guideProposalExample }, { proposal_id: 'prop-002', ...fullProposalExample }] },
    replace: { examples: [{ ...fullProposalExample, status: 'sent' }] },
    patch: {
      examples: [
        { status: 'sent' },
        { status: 'accepted' },
        { pricing: { total: 50000, breakdown: { licenses: 20000, implementation: 24000, training: 6000 } } },
      ],
    },
    response: { examples: [{ proposal_id: 'prop-001', ...guideProposalExample, created_at: '2025-12-21T06:20:48.123456Z' }] },
  },
});
