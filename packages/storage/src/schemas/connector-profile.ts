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

export const scheduleWeekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/** An IANA zone name Intl knows (Europe/Berlin, UTC). */
const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/**
 * When the platform's ingestion runs the profile's sync (this service runs nothing
 * on it). Member by member only (rules across members, and the cron syntax, are
 * the Connector's), so a row the Python Connector wrote, {frequency, time,
 * cron_expression, active}, reads as it is.
 */
export const scheduleSchema = z.strictObject({
  frequency: z.enum(scheduleFrequencies),
  time: z
    .string()
    .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM, 00:00 to 23:59')
    .nullable()
    .optional()
    .describe('Time of day (HH:MM, in timezone) of a daily or weekly run, e.g. 02:00'),
  day_of_week: z.enum(scheduleWeekdays).nullable().optional().describe('Weekly runs: the day (default monday)'),
  cron_expression: z
    .string()
    .max(255)
    .nullable()
    .optional()
    .describe(
      'With frequency custom: minute hour day-of-month month day-of-week (optionally seconds first), e.g. 0 2 * * *',
    ),
  timezone: z
    .string()
    .max(64)
    .refine(isTimeZone, 'must be an IANA time zone, e.g. Europe/Berlin or UTC')
    .nullable()
    .optional()
    .describe('IANA time zone of time and cron_expression (default UTC)'),
  active: z.boolean().optional().describe('false pauses the schedule (default true)'),
});

/** "schema.table" keys (table names for sources without schemas), each once. */
export const selectedTablesSchema = z
  .array(z.string().min(1).max(1024))
  .max(1000)
  .refine((tables) => new Set(tables).size === tables.length, 'must not name a table twice')
  .describe('Tables picked for syncing: schema.table keys of schema_info (table names for files and APIs)');

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
  selected_tables: selectedTablesSchema.nullable().optional(),
  legacy: legacyMembersSchema.optional(),
  needs_completion: needsCompletionSchema.optional(),
});

export type ConnectorProfile = z.infer<typeof connectorProfileSchema>;
export type ConnectorType = (typeof connectorTypes)[number];
export type TestStatus = (typeof testStatuses)[number];
