// The connector_profiles.profile_data document, as the guide lists it.
import { z } from 'zod';
import { jsonArraySchema, jsonObjectSchema, timestampSchema } from './common.js';

export const connectorTypes = ['sql', 'api', 'excel'] as const;
export const testStatuses = ['success', 'failed'] as const;

// Limits leave room for the sealed (encrypted, base64) form the Connector Service
// stores; it enforces tighter limits on the plaintext it accepts.
export const credentialsSchema = z.strictObject({
  username: z.string().max(1024).optional(),
  password: z.string().max(16_384).optional(),
});

export const schemaInfoSchema = z.object({
  tables: jsonArraySchema.optional(),
  columns: jsonObjectSchema.optional(),
});

export const connectorProfileSchema = z.strictObject({
  name: z.string().min(1).max(255),
  type: z.enum(connectorTypes),
  /** Stored encrypted by the Connector Service. */
  connection_string: z.string().max(16_384).optional(),
  credentials: credentialsSchema.optional(),
  schema_info: schemaInfoSchema.optional(),
  test_status: z.enum(testStatuses).optional(),
  last_tested: timestampSchema.optional(),
});

export type ConnectorProfile = z.infer<typeof connectorProfileSchema>;
export type ConnectorType = (typeof connectorTypes)[number];
export type TestStatus = (typeof testStatuses)[number];
