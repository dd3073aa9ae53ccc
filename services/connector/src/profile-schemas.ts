// Request and response shapes of /connector/profiles, derived from the storage
// package's document schema (the fields are defined once, there). Requests take
// the guide's flat shape: `id` beside the document fields. Responses add the
// timestamps and say which secrets are set, and never carry a secret.
import { connectorProfileSchema, credentialsSchema, keySchema, schemaInfoSchema, timestampSchema } from '@analytics-engine/storage';
import { pageQuerySchema, pageSchema } from '@analytics-engine/http';
import { z } from 'zod';

/**
 * Plaintext limits on secrets, tighter than the stored (sealed) limits: a
 * 2,048-character string seals to well under the 16,384 characters storage keeps.
 */
export const MAX_SECRET_CHARACTERS = 2048;

const field = connectorProfileSchema.shape;

export const connectionStringInputSchema = field.connection_string
  .unwrap()
  .max(MAX_SECRET_CHARACTERS, `must be at most ${MAX_SECRET_CHARACTERS} characters`)
  .describe('Stored encrypted; responses show it with any credentials inside it redacted');

export const passwordInputSchema = credentialsSchema.shape.password
  .unwrap()
  .max(MAX_SECRET_CHARACTERS, `must be at most ${MAX_SECRET_CHARACTERS} characters`)
  .describe('Stored encrypted; never returned (responses say password_set)');

export const profileIdSchema = keySchema.describe('Profile identifier chosen by the client, 1 to 255 characters').meta({
  examples: ['test-sql-connection'],
});

export const profileParamsSchema = z.object({ id: profileIdSchema });

const profileExample = {
  name: 'Test SQL Server',
  type: 'sql',
  connection_string: 'Server=localhost;Database=test;',
  credentials: { username: 'testuser', password: 'testpass' },
};

/** The profile fields a client writes, secrets in plaintext (they are sealed before storage). */
export const profileFieldsSchema = connectorProfileSchema.extend({
  connection_string: connectionStringInputSchema.optional(),
  credentials: credentialsSchema.extend({ password: passwordInputSchema.optional() }).optional(),
});

export const createProfileBodySchema = profileFieldsSchema
  .extend({ id: profileIdSchema })
  .meta({ examples: [{ id: 'test-sql-connection', ...profileExample }] });

export const replaceProfileBodySchema = profileFieldsSchema
  .extend({ id: profileIdSchema.optional().describe('Optional; when given it must equal the id in the path') })
  .describe('The whole profile: a field left out is removed, secrets included (use PATCH to keep them)')
  .meta({ examples: [profileExample] });

/** JSON Merge Patch (RFC 7386): absent = keep, null = clear, a value = replace. */
export const patchProfileBodySchema = z
  .strictObject({
    id: profileIdSchema.optional().describe('Optional; when given it must equal the id in the path'),
    name: field.name.optional(),
    type: field.type.optional(),
    connection_string: connectionStringInputSchema.nullable().optional(),
    credentials: z
      .strictObject({
        username: credentialsSchema.shape.username.unwrap().nullable().optional(),
        password: passwordInputSchema.nullable().optional(),
      })
      .nullable()
      .optional(),
    schema_info: z
      .object({
        tables: schemaInfoSchema.shape.tables.unwrap().nullable().optional(),
        columns: schemaInfoSchema.shape.columns.unwrap().nullable().optional(),
      })
      .nullable()
      .optional(),
    test_status: field.test_status.unwrap().nullable().optional(),
    last_tested: field.last_tested.unwrap().nullable().optional(),
  })
  .describe('JSON Merge Patch: a field left out is kept, null clears it, a value replaces it')
  .meta({ examples: [{ credentials: { password: 'new-password' } }, { connection_string: null }, { test_status: 'success', last_tested: '2025-12-21T06:20:48Z' }] });

export const secretStateSchema = z
  .enum(['set', 'not_set', 'unreadable'])
  .describe("unreadable: stored, but no configured key opens it (a key was removed, or the ciphertext was moved); write it again to repair");

export const profileResponseSchema = z
  .object({
    id: z.string(),
    name: field.name,
    type: field.type,
    connection_string: z.string().optional().describe('Decrypted, with any credentials inside it replaced by ***'),
    credentials: z
      .object({
        username: credentialsSchema.shape.username,
        password_set: z.boolean(),
      })
      .optional(),
    schema_info: field.schema_info,
    test_status: field.test_status,
    last_tested: field.last_tested,
    secrets: z.object({ connection_string: secretStateSchema, password: secretStateSchema }).describe('Which secrets the profile holds'),
    created_at: timestampSchema.nullable(),
    updated_at: timestampSchema.nullable(),
  })
  .meta({
    examples: [
      {
        id: 'test-sql-connection',
        name: 'Test SQL Server',
        type: 'sql',
        connection_string: 'Server=localhost;Database=test;',
        credentials: { username: 'testuser', password_set: true },
        secrets: { connection_string: 'set', password: 'set' },
        created_at: '2025-12-21T06:20:48.123456Z',
        updated_at: '2025-12-21T06:20:48.123456Z',
      },
    ],
  });

export const listProfilesQuerySchema = pageQuerySchema.extend({
  type: field.type.optional().describe('Only profiles of this type'),
  test_status: field.test_status.describe('Only profiles with this test status'),
});

export const profilePageSchema = pageSchema(profileResponseSchema);

export type CreateProfileBody = z.infer<typeof createProfileBodySchema>;
export type ProfileFields = z.infer<typeof profileFieldsSchema>;
export type PatchProfileBody = z.infer<typeof patchProfileBodySchema>;
export type ProfileResponse = z.infer<typeof profileResponseSchema>;
