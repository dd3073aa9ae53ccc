// Request and response shapes of /demo/clients, derived from the storage
// package's client config schema (the fields are defined once, there). Requests
// and responses take the guide's flat shape: client_id beside the config fields.
import { pageQuerySchema, pageSchema } from '@analytics-engine/http';
import { clientConfigSchema, keySchema, timestampSchema } from '@analytics-engine/storage';
import { z } from 'zod';
import { withoutNul } from '@analytics-engine/http';

const field = clientConfigSchema.shape;

export const clientIdSchema = keySchema
  .describe('Client identifier chosen by the caller, 1 to 255 characters')
  .meta({ examples: ['test-client-001'] });

export const clientParamsSchema = z.object({ client_id: clientIdSchema });

const clientExample = {
  client_name: 'Test Corporation',
  license_type: 'professional',
  modules: ['SCOR', 'CRM'],
};

const fullClientExample = {
  ...clientExample,
  preferences: { currency: 'EUR', timezone: 'Europe/Berlin' },
  custom_kpis: [{ name: 'On-time delivery', target: 0.95 }],
  data_sources: ['test-sql-connection'],
};

const bodyIdSchema = clientIdSchema.optional().describe('Optional; when given it must equal the client_id in the path');

export const createClientBodySchema = clientConfigSchema
  .extend({ client_id: clientIdSchema })
  .meta({ examples: [{ client_id: 'test-client-001', ...clientExample }, { client_id: 'test-client-002', ...fullClientExample }] });

export const replaceClientBodySchema = clientConfigSchema
  .extend({ client_id: bodyIdSchema })
  .describe('The whole configuration: a field left out is removed')
  .meta({ examples: [fullClientExample] });

/** JSON Merge Patch (RFC 7386): absent = keep, null = remove, a value = replace; objects merge member by member. */
export const patchClientBodySchema = z
  .strictObject({
    client_id: bodyIdSchema,
    client_name: field.client_name.optional(),
    license_type: field.license_type.optional(),
    modules: field.modules.unwrap().nullable().optional(),
    preferences: field.preferences.unwrap().nullable().optional(),
    custom_kpis: field.custom_kpis.unwrap().nullable().optional(),
    data_sources: field.data_sources.unwrap().nullable().optional(),
  })
  .describe('JSON Merge Patch: a field left out is kept, null removes it, a value replaces it')
  .meta({ examples: [{ license_type: 'enterprise' }, { modules: ['SCOR', 'CRM', 'BI'] }, { preferences: { currency: 'USD' }, data_sources: null }] });

export const clientResponseSchema = z
  .object({
    client_id: z.string(),
    ...field,
    created_at: timestampSchema.nullable(),
    updated_at: timestampSchema.nullable(),
  })
  .meta({
    examples: [
      {
        client_id: 'test-client-001',
        ...clientExample,
        created_at: '2025-12-21T06:20:48.123456Z',
        updated_at: '2025-12-21T06:20:48.123456Z',
      },
    ],
  });

export const listClientsQuerySchema = pageQuerySchema.extend({
  license_type: field.license_type.optional().describe('Only clients with this license type'),
  module: withoutNul(field.modules.unwrap().element).optional().describe('Only clients whose modules include this one'),
});

export const clientPageSchema = pageSchema(clientResponseSchema);

export const deleteClientQuerySchema = z.object({
  cascade: z
    .enum(['true', 'false'])
    .optional()
    .describe("true: delete the client's proposals with it, in one transaction. Otherwise a client with proposals is a 409"),
});

export type ClientResponse = z.infer<typeof clientResponseSchema>;
