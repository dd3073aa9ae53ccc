// /demo/clients: the client configurations, a document resource. What is its
// own: the filters, and a delete that refuses (or cascades) while proposals name
// the client (client-references.ts).
import { resourceChanges, withoutNul, type DocumentResourceDefinition } from '@analytics-engine/http';
import {
  clientConfigSchema,
  createClientConfigRepository,
  keySchema,
  type ClientConfig,
} from '@analytics-engine/storage';
import { deleteClient } from './client-references.js';
import { clientEvents, proposalEvents } from './change-events.js';
import { clientDeleteDocs, clientDocs } from './resource-docs.js';

const field = clientConfigSchema.shape;
const proposalChanges = resourceChanges('proposal', proposalEvents);

/** List filters: the licence type, and a module the client has (one of its modules array). */
const filters = {
  license_type: field.license_type.optional().describe('Only clients with this license type'),
  module: withoutNul(field.modules.unwrap().element).optional().describe('Only clients whose modules include this one'),
};

export const clientResource: DocumentResourceDefinition<ClientConfig> = {
  path: '/demo/clients',
  key: {
    name: 'client_id',
    schema: keySchema
      .describe('Client identifier chosen by the caller, 1 to 255 characters')
      .meta({ examples: ['test-client-001'] }),
  },
  noun: 'client',
  title: { one: 'client configuration', many: 'client configurations' },
  tag: 'client configs',
  document: clientConfigSchema,
  filters,
  repository: createClientConfigRepository,
  hasUpdatedAt: true,
  docs: clientDocs,
  events: clientEvents,
  delete: {
    ...clientDeleteDocs,
    run: async (trx, key, query, { ifVersion }) => {
      const { client, deletedProposals } = await deleteClient(trx, key, {
        cascade: query.cascade === 'true',
        ifVersion,
      });
      return { deleted: client, alsoDeleted: deletedProposals.map((proposal) => proposalChanges.deleted(proposal)) };
    },
  },
};
