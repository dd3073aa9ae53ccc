// /demo/proposals: the service proposals, a document resource. What is its own:
// generated readable ids, the client every proposal names (locked in the write's
// transaction, see client-references.ts), the proposal rules (proposal-rules.ts),
// and proposals generated from a questionnaire (proposal-generation.ts).
import { notFoundError, type DocumentResourceDefinition } from '@analytics-engine/http';
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
import { utcDate, withGeneratedQuote } from './proposal-generation.js';
import type { PriceBook } from './proposal-generator/index.js';
import { proposalEvents } from './change-events.js';
import { generateProposalId, idempotentProposalId } from './proposal-ids.js';
import { proposalDocs, proposalResponses, proposalStatusText } from './resource-docs.js';
import { checkStatusChange, proposalDocumentSchema, proposalRules, proposalSchema } from './proposal-rules.js';

const field = proposalDocumentSchema.shape;

export const proposalResource = (
  book: PriceBook,
  ring: LicenseSigningKeyRing,
): DocumentResourceDefinition<ServiceProposal> => ({
  path: '/demo/proposals',
  key: {
    name: 'proposal_id',
    schema: keySchema.describe('Proposal identifier, 1 to 255 characters').meta({ examples: ['prop-001'] }),
  },
  noun: 'proposal',
  title: { one: 'proposal', many: 'proposals' },
  tag: 'service proposals',
  document: proposalDocumentSchema.extend({ status: field.status.describe(proposalStatusText) }),
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
    const generation = () => ({ book, today: utcDate(), clientModules: client?.data.modules });
    const document = withGeneratedQuote(current, keepLicense(current, next, body), generation);
    if (current?.status !== 'sent' || document.status !== 'accepted') return document;
    const proposalId = (request.params as { proposal_id: string }).proposal_id;
    return acceptProposal({ executor, proposalId, next: document, client, ring, now: new Date(), request });
  },
  responses: proposalResponses,
  docs: proposalDocs,
  events: proposalEvents,
});
