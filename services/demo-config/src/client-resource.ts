// /demo/clients: the client configurations, a document resource. What is its
// own: the filters, and a delete that refuses (or cascades) while proposals name
// the client (client-references.ts).
import type { DocumentResourceDefinition } from '@analytics-engine/http';
import { errorResponses, withoutNul } from '@analytics-engine/http';
import {
  clientConfigSchema,
  createClientConfigRepository,
  keySchema,
  type ClientConfig,
} from '@analytics-engine/storage';
import { z } from 'zod';
import { deleteClient } from './client-references.js';
import { clientDocs } from './resource-docs.js';

const field = clientConfigSchema.shape;

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
  filters: {
    license_type: field.license_type.optional().describe('Only clients with this license type'),
    module: withoutNul(field.modules.unwrap().element)
      .optional()
      .describe('Only clients whose modules include this one'),
  },
  repository: createClientConfigRepository,
  hasUpdatedAt: true,
  docs: clientDocs,
  delete: {
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
    run: async (db, key, query, { ifVersion }) => {
      await deleteClient(db, key, { cascade: query.cascade === 'true', ifVersion });
    },
  },
};
