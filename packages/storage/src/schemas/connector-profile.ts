// The connector_profiles.profile_data document: the guide's members, and the
// platform's own that the Python Connector service stored beside them.
import { z } from 'zod';
import { isJsonObject } from '../repositories/json-merge-patch.js';
import { jsonObjectSchema, legacyMembersSchema, needsCompletionSchema, timestampSchema } from './common.js';

export const connectorTypes = ['sql', 'api', 'excel'] as const;
export const testStatuses = ['success', 'failed'] as const;
export const scheduleFrequencies = ['manual', 'daily', 'weekly', 'custom'] as const;

// Limits leave room for the sealed (encrypted, base64) form the Connector Service
// stores; it enforces tighter limits on the plaintext it accepts.
export const credentialsSchema = z.strictObject({
  username: z.string().max(1024).optional(),
  password: z.string().max(16_384).optional(),
});

/**
 * The guide's `{tables: [...], columns: {...}}` and whatever else discovery or a
 * client puts there, kept as it was sent: an open object whose two named parts
 * are checked (null is let through: a merge patch removes with it). Typed as the
 * two named parts, so a discovery result (an interface) fits it.
 */
export const schemaInfoSchema = jsonObjectSchema
  .superRefine((info, context) => {
    const { tables, columns } = info;
    if (tables !== undefined && tables !== null && !Array.isArray(tables)) {
      context.addIssue({ code: 'custom', path: ['tables'], message: 'must be an array' });
    }
    if (columns !== undefined && columns !== null && !isJsonObject(columns)) {
      context.addIssue({ code: 'custom', path: ['columns'], message: 'must be an object' });
    }
  })
  .describe('{tables: [...], columns: {...}} and any other members, kept as they are sent') as unknown as z.ZodType<{
  tables?: unknown[];
  columns?: Record<string, unknown>;
}>;

/** When the platform's UI runs the profile's sync. */
export const scheduleSchema = z.strictObject({
  frequency: z.enum(scheduleFrequencies),
  time: z.string().max(64).nullable().optional().describe('Time of day, e.g. 02:00'),
  cron_expression: z.string().max(255).nullable().optional().describe('With frequency custom, e.g. 0 2 * * *'),
  active: z.boolean().optional(),
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
  // The platform's members (null: none, as the Python service stored it).
  extra_params: jsonObjectSchema
    .nullable()
    .optional()
    .describe('Driver parameters the Python Connector kept, e.g. {"sslmode": "require"}'),
  schedule: scheduleSchema.nullable().optional(),
  selected_tables: z.array(z.string().max(1024)).nullable().optional().describe('Tables picked for syncing'),
  legacy: legacyMembersSchema.optional(),
  needs_completion: needsCompletionSchema.optional(),
});

export type ConnectorProfile = z.infer<typeof connectorProfileSchema>;
export type ConnectorType = (typeof connectorTypes)[number];
export type TestStatus = (typeof testStatuses)[number];
