// The OpenAPI text and examples of /connector/profiles: what Swagger UI shows and
// "Try it out" sends. Kept apart from the resource's behaviour (profile-resource.ts).
import { errorResponses, type DocumentResourceDefinition } from '@analytics-engine/http';
import type { ConnectorProfile } from '@analytics-engine/storage';

type ProfileDefinition = DocumentResourceDefinition<ConnectorProfile>;

const unknownTable = errorResponses[422].describe(
  "UNKNOWN_TABLE: selected_tables names a table the profile's schema_info does not hold; details name each entry",
);

export const profileResponses: ProfileDefinition['responses'] = {
  create: { 422: unknownTable },
  update: { 422: unknownTable },
};

const profileExample = {
  name: 'Test SQL Server',
  type: 'sql',
  connection_string: 'Server=localhost;Database=test;',
  credentials: { username: 'testuser', password: 'testpass' },
};

export const profileDocs: ProfileDefinition['docs'] = {
  operations: {
    create:
      'Secrets (connection_string, credentials.password) are encrypted before they are stored and never returned.',
    patch:
      'A field left out is kept, null clears it, a value replaces it; objects (credentials, schema_info) ' +
      'merge field by field.',
    replace: 'Full replace: a field left out is removed, secrets included. Use PATCH to keep the stored secrets.',
  },
  create: { examples: [{ id: 'test-sql-connection', ...profileExample }] },
  replace: {
    description: 'The whole profile: a field left out is removed, secrets included (use PATCH to keep them)',
    examples: [profileExample],
  },
  patch: {
    examples: [
      { credentials: { password: 'new-password' } },
      { connection_string: null },
      { test_status: 'success', last_tested: '2025-12-21T06:20:48Z' },
      { selected_tables: ['public.orders', 'public.customers'] },
      { schedule: { frequency: 'daily', time: '02:00', timezone: 'Europe/Berlin', active: true } },
      { schedule: { frequency: 'custom', cron_expression: '30 1 * * 1-5', timezone: 'UTC' } },
    ],
  },
};
