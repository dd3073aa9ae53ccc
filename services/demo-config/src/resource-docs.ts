// The OpenAPI text and examples of the Demo Config resources: what Swagger UI
// shows and "Try it out" sends. Kept apart from the resources' behaviour.
import { errorResponses, type DocumentResourceDefinition } from '@analytics-engine/http';
import type { ClientConfig, ServiceProposal } from '@analytics-engine/storage';
import { z } from 'zod';

const clientExample = { client_name: 'Test Corporation', license_type: 'professional', modules: ['SCOR', 'CRM'] };
const fullClientExample = {
  ...clientExample,
  preferences: { currency: 'EUR', timezone: 'Europe/Berlin' },
  custom_kpis: [{ name: 'On-time delivery', target: 0.95 }],
  data_sources: ['test-sql-connection'],
};

export const clientDocs: DocumentResourceDefinition<ClientConfig>['docs'] = {
  create: {
    examples: [
      { client_id: 'test-client-001', ...clientExample },
      { client_id: 'test-client-002', ...fullClientExample },
    ],
  },
  replace: { examples: [fullClientExample] },
  patch: {
    examples: [
      { license_type: 'enterprise' },
      { modules: ['SCOR', 'CRM', 'BI'] },
      { preferences: { currency: 'USD' }, data_sources: null },
    ],
  },
  response: {
    examples: [
      {
        client_id: 'test-client-001',
        ...clientExample,
        created_at: '2025-12-21T06:20:48.123456Z',
        updated_at: '2025-12-21T06:20:48.123456Z',
      },
    ],
  },
};

/** The delete's own query and its 409, documented. */
export const clientDeleteDocs = {
  description:
    'A client that proposals still name is a 409, unless ?cascade=true: then the client and its proposals are ' +
    'deleted in one transaction.',
  querystring: z.object({
    cascade: z
      .enum(['true', 'false'])
      .optional()
      .describe(
        "true: delete the client's proposals with it, in one transaction. Otherwise a client with proposals is a 409",
      ),
  }),
  responses: {
    409: errorResponses[409].describe(
      'Proposals still name this client (code CLIENT_HAS_PROPOSALS): delete with ?cascade=true to remove them too',
    ),
  },
};

const { 409: conflict, 422: unprocessable } = errorResponses;
const BROKEN_RULES =
  'client_id names no client (UNKNOWN_CLIENT), or a proposal rule is broken: TIMELINE_END_BEFORE_START, ' +
  'NEGATIVE_PRICING_TOTAL, ' +
  'NEGATIVE_RESOURCE_HOURS, PRICING_BREAKDOWN_MISMATCH; or no value chains to price (NO_VALUE_CHAINS); or a ' +
  'generated member ' +
  '(quote, price_book, license, or pricing/timeline/resources of a generated proposal) is written (GENERATED_FIELD)';

const guideProposalExample = { client_id: 'test-client-001', proposal_type: 'implementation', status: 'draft' };
/** A hand-entered proposal with every guide member: the OpenAPI example, the bench's body, a document test's. */
export const fullProposalExample = {
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

export const proposalResponses: DocumentResourceDefinition<ServiceProposal>['responses'] = {
  create: {
    422: unprocessable.describe(`${BROKEN_RULES}, or status is accepted or rejected (INVALID_INITIAL_STATUS)`),
  },
  update: {
    409: conflict.describe(
      'The status cannot move that way (INVALID_STATUS_TRANSITION), the questionnaire of a sent proposal is frozen ' +
        '(PROPOSAL_FROZEN), or the proposal expired before it was accepted (PROPOSAL_EXPIRED)',
    ),
    422: unprocessable.describe(BROKEN_RULES),
  },
};

/** The status member as create and replace take it. */
export const proposalStatusText =
  'draft (the default) or sent on create; then draft -> sent -> accepted | rejected, ' +
  'accepted and rejected are final. Absent on PUT means draft, as on create: send the current status to keep it';

export const proposalDocs: DocumentResourceDefinition<ServiceProposal>['docs'] = {
  operations: {
    create:
      'proposal_id is optional (generated when absent); status defaults to draft and may start as draft or sent; ' +
      'client_id must name an existing client.',
    patch:
      'A field left out is kept, null removes it, a value replaces it; pricing, timeline and resources merge ' +
      'member by member. ' +
      'The result must keep every proposal rule; status moves only draft -> sent -> accepted | rejected.',
    replace:
      'Full replace: a field left out is removed, and an absent status means draft. The status rule applies as ' +
      'for PATCH.',
  },
  create: {
    examples: [
      { proposal_id: 'prop-001', ...guideProposalExample },
      { proposal_id: 'prop-002', ...fullProposalExample },
    ],
  },
  replace: { examples: [{ ...fullProposalExample, status: 'sent' }] },
  patch: {
    examples: [
      { status: 'sent' },
      { status: 'accepted' },
      { pricing: { total: 50000, breakdown: { licenses: 20000, implementation: 24000, training: 6000 } } },
    ],
  },
  response: {
    examples: [{ proposal_id: 'prop-001', ...guideProposalExample, created_at: '2025-12-21T06:20:48.123456Z' }],
  },
};
