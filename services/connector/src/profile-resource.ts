// /connector/profiles: connection profiles, a document resource. What is its
// own: secrets sealed before the repository sees them and redacted on the way
// out (profile-secrets.ts), and the admin scope for any body that sets or clears
// one.
import { errorResponses, type DocumentResourceDefinition, type Executor } from '@analytics-engine/http';
import { createConnectorProfileRepository, type ConnectorProfile } from '@analytics-engine/storage';
import { profileFieldsSchema, profileIdSchema, profileResponseSchema, type ProfileFields } from './profile-schemas.js';
import { prepareProfile } from './profile-rules.js';
import type { ProfileSecrets } from './profile-secrets.js';

const field = profileFieldsSchema.shape;

const unknownTable = errorResponses[422].describe(
  "UNKNOWN_TABLE: selected_tables names a table the profile's schema_info does not hold; details name each entry",
);

const profileExample = {
  name: 'Test SQL Server',
  type: 'sql',
  connection_string: 'Server=localhost;Database=test;',
  credentials: { username: 'testuser', password: 'testpass' },
};

/** The profiles, every write of which seals what a row the Python Connector wrote still holds in plaintext. */
export function sealingProfileRepository(executor: Executor, secrets: ProfileSecrets) {
  return createConnectorProfileRepository(executor, {
    beforeStore: (id, document) => secrets.sealStored(id, document),
  });
}

export function profileResource(secrets: ProfileSecrets): DocumentResourceDefinition<ConnectorProfile> {
  return {
    path: '/connector/profiles',
    key: { name: 'id', schema: profileIdSchema },
    noun: 'profile',
    title: { one: 'profile', many: 'profiles' },
    tag: 'connector profiles',
    document: profileFieldsSchema,
    filters: {
      type: field.type.optional().describe('Only profiles of this type'),
      test_status: field.test_status.describe('Only profiles with this test status'),
    },
    repository: (executor) => sealingProfileRepository(executor, secrets),
    hasUpdatedAt: true,
    storedForm: {
      document: (id, document) => secrets.sealDocument(id, document as ProfileFields),
      patch: (id, patch) => secrets.sealPatch(id, patch),
    },
    presenter: { schema: profileResponseSchema, present: (stored, request) => secrets.toResponse(stored, request.log) },
    bodyScope: (body) => (carriesSecret(body) ? 'admin' : undefined),
    prepare: prepareProfile,
    responses: {
      create: { 422: unknownTable },
      update: { 422: unknownTable },
    },
    docs: {
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
    },
  };
}

/** A body that sets or clears a secret (legacy.password too) needs the admin scope. */
function carriesSecret(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const {
    connection_string: connectionString,
    credentials,
    legacy,
  } = body as { connection_string?: unknown; credentials?: unknown; legacy?: unknown };
  if (connectionString !== undefined) return true;
  const holdsPassword = (value: unknown) =>
    typeof value === 'object' && value !== null && (value as { password?: unknown }).password !== undefined;
  return holdsPassword(credentials) || holdsPassword(legacy);
}
