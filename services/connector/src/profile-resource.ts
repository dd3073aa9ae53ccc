// /connector/profiles: connection profiles, a document resource. What is its
// own: secrets sealed before the repository sees them and redacted on the way
// out (profile-secrets.ts), and the admin scope for any body that sets or clears
// one.
import type { DocumentResourceDefinition, Executor } from '@analytics-engine/http';
import { createConnectorProfileRepository, type ConnectorProfile } from '@analytics-engine/storage';
import { profileFieldsSchema, profileIdSchema, profileResponseSchema, type ProfileFields } from './profile-schemas.js';
import { profileDocs, profileResponses } from './profile-docs.js';
import { prepareProfile } from './profile-rules.js';
import type { ProfileSecrets } from './profile-secrets.js';

const field = profileFieldsSchema.shape;

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
    responses: profileResponses,
    docs: profileDocs,
    events: {
      prefix: 'connection',
      idMember: 'connection_id',
      created: (profile) => ({ connection_type: profile.type }),
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
