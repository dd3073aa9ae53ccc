// The shapes of /connector/profiles that are the Connector's own: what a client
// writes (secrets in plaintext, under tighter limits than their sealed form) and
// what it reads back (timestamps, which secrets are set, never a secret). The
// request schemas of every route derive from profileFieldsSchema.
import {
  connectorProfileSchema,
  credentialsSchema,
  keySchema,
  scheduleSchema,
  timestampSchema,
} from '@analytics-engine/storage';
import { z } from 'zod';
import { cronProblem, NEXT_RUNS } from './schedule.js';

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

const nextRunsSchema = z
  .array(z.string())
  .max(NEXT_RUNS)
  .describe(`The next ${NEXT_RUNS} runs, ISO-8601 in UTC; empty when manual or inactive`);

/** A schedule as written: the cron parsed with croner; next_runs, as a read shows it, accepted and not stored. */
export const scheduleInputSchema = scheduleSchema.extend({
  cron_expression: scheduleSchema.shape.cron_expression
    .unwrap()
    .unwrap()
    .superRefine((expression, context) => {
      const problem = cronProblem(expression);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    .nullable()
    .optional()
    .meta(z.globalRegistry.get(scheduleSchema.shape.cron_expression) ?? {}),
  next_runs: nextRunsSchema.optional().describe('Computed on read; ignored when written'),
});

export const scheduleResponseSchema = scheduleSchema.extend({ next_runs: nextRunsSchema });

/** The profile fields a client writes, secrets in plaintext (they are sealed before storage). */
export const profileFieldsSchema = connectorProfileSchema.extend({
  connection_string: connectionStringInputSchema.optional(),
  credentials: credentialsSchema.extend({ password: passwordInputSchema.optional() }).optional(),
  schedule: scheduleInputSchema.nullable().optional(),
});

export const secretStateSchema = z
  .enum(['set', 'not_set', 'unreadable'])
  .describe(
    'unreadable: stored, but no configured key opens it (a key was removed, or the ciphertext was moved); write ' +
      'it again to repair',
  );

/** What the guide's "Test Connector Service" POST answers: the response example, and what the tests expect. */
export const guideProfileResponse = {
  id: 'test-sql-connection',
  name: 'Test SQL Server',
  type: 'sql',
  connection_string: 'Server=localhost;Database=test;',
  credentials: { username: 'testuser', password_set: true },
  secrets: { connection_string: 'set', password: 'set' },
  created_at: '2025-12-21T06:20:48.123456Z',
  updated_at: '2025-12-21T06:20:48.123456Z',
} as const;

const absentWhenIncomplete = 'Absent only when needs_completion names it (a row written by the Python services)';

export const profileResponseSchema = z
  .object({
    id: z.string(),
    name: field.name.optional().describe(absentWhenIncomplete),
    type: field.type.optional().describe(absentWhenIncomplete),
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
    extra_params: field.extra_params,
    schedule: scheduleResponseSchema.nullable().optional(),
    selected_tables: field.selected_tables,
    legacy: field.legacy,
    needs_completion: field.needs_completion,
    secrets: z
      .object({
        connection_string: secretStateSchema,
        password: secretStateSchema,
        legacy_password: secretStateSchema
          .optional()
          .describe(
            'Only on a row the Python Connector wrote with a password that differs from credentials.password: ' +
              'kept sealed as legacy.password, which legacy never shows',
          ),
      })
      .describe('Which secrets the profile holds'),
    created_at: timestampSchema.nullable(),
    updated_at: timestampSchema.nullable(),
  })
  .meta({ examples: [guideProfileResponse] });

export type ProfileFields = z.infer<typeof profileFieldsSchema>;
export type ProfileResponse = z.infer<typeof profileResponseSchema>;
