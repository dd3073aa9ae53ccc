// Bodies and answers of the two connection-test routes.
import { timestampSchema } from '@analytics-engine/storage';
import { z } from 'zod';
import { connectionErrorCodes } from './connection-test/errors.js';
import { normalisedTypes } from './connection-test/normalised-types.js';
import { profileFieldsSchema, profileIdSchema, profileResponseSchema } from './profile-schemas.js';

export const DEFAULT_MAX_TABLES = 100;

const schemaPattern = z
  .string()
  .min(1)
  .max(128)
  .refine((value) => !value.includes('\u0000'), 'must not contain the NUL character (\\u0000)')
  .describe(
    "A schema name, or a glob: * matches any run of characters, ? one character (compared with the database's LIKE)",
  );

const testOptionsShape = {
  discover: z.boolean().optional().describe('Also read the tables and their columns into schema_info (default false)'),
  include_schemas: z
    .array(schemaPattern)
    .max(50)
    .optional()
    .describe(
      'SQL only: discover only schemas matching one of these (default: every non-system schema; for MySQL the ' +
        'database named in the connection string)',
    ),
  exclude_schemas: z
    .array(schemaPattern)
    .max(50)
    .optional()
    .describe('SQL only: skip schemas matching any of these (wins over include_schemas)'),
  max_tables: z
    .int()
    .min(1)
    .max(1000)
    .optional()
    .describe(
      `Discover at most this many tables (or sheets), in schema and name order (default ${DEFAULT_MAX_TABLES})`,
    ),
  timeout_ms: z
    .int()
    .min(100)
    .max(300_000)
    .optional()
    .describe(
      'Overall deadline of the test in ms (default and cap: CONNECTOR_TEST_TIMEOUT_MS, 10000 unless configured)',
    ),
};

export const testOptionsSchema = z
  .strictObject(testOptionsShape)
  .describe('Optional: an empty or absent body tests the connection without discovery')
  .meta({
    examples: [
      {
        discover: true,
        include_schemas: ['public', 'sales_*'],
        exclude_schemas: ['sales_archive'],
        max_tables: 50,
        timeout_ms: 5000,
      },
    ],
  });

export type TestOptionsBody = z.infer<typeof testOptionsSchema>;

const { discover: _discover, ...discoverOptionsShape } = testOptionsShape;
export const discoverOptionsSchema = z
  .strictObject(discoverOptionsShape)
  .describe('Optional: the bounds of the discovery')
  .meta({ examples: [{ include_schemas: ['public', 'sales_*'], exclude_schemas: ['sales_archive'], max_tables: 50 }] });

const columnRef = { table: z.string().describe('schema.table'), column: z.string() };

/** schema_info as discovery stores it (a stored profile's may be older, or the Python Connector's). */
export const discoveredSchemaSchema = z
  .object({
    tables: z.array(
      z.object({
        schema: z.string().optional().describe('Absent for files and APIs'),
        name: z.string(),
        kind: z.enum(['table', 'view']),
        row_estimate: z
          .number()
          .nullable()
          .describe(
            "The source's estimate: pg_class.reltuples, MySQL's TABLE_ROWS, a sheet's or array's rows; null if none",
          ),
        columns: z.array(
          z.object({
            name: z.string(),
            source_type: z
              .string()
              .describe("The source's name of the type (information_schema data_type, or inferred)"),
            type: z.enum(normalisedTypes).describe('The normalised type'),
            nullable: z.boolean(),
            primary_key: z.boolean().describe('True for every column of the primary key'),
          }),
        ),
      }),
    ),
    discovered_at: timestampSchema.optional().describe('When this discovery ran (stored profiles only)'),
    changes: z
      .object({
        since: timestampSchema.nullable().describe('discovered_at of the discovery compared with; null if none'),
        tables_added: z.array(z.string()),
        tables_removed: z.array(z.string()),
        columns_added: z.array(z.object(columnRef)),
        columns_removed: z.array(z.object(columnRef)),
        columns_retyped: z.array(z.object({ ...columnRef, from: z.string(), to: z.string() })),
        selected_tables_missing: z
          .array(z.string())
          .describe('selected_tables this discovery does not hold: still selected, for you to deselect'),
      })
      .optional()
      .describe('Stored profiles only: what differs from the previous discovery'),
  })
  .describe(
    'tables [{schema?, name, kind, row_estimate, columns: [{name, source_type, type, nullable, primary_key}]}]',
  );

export const unsavedTestBodySchema = profileFieldsSchema
  .extend({ id: profileIdSchema.optional().describe('Optional; only used in the log line'), ...testOptionsShape })
  .describe('A profile as POST /connector/profiles takes it (id optional) plus the test options; nothing is stored')
  .meta({
    examples: [
      {
        name: 'Sales database',
        type: 'sql',
        connection_string: 'postgres://db.example.com:5432/sales?sslmode=require',
        credentials: { username: 'reporter', password: 'secret' },
        discover: true,
        max_tables: 20,
      },
      {
        name: 'Orders API',
        type: 'api',
        connection_string: 'https://api.example.com/v1/orders',
        credentials: { password: 'bearer-token' },
        discover: true,
      },
      { name: 'Budget sheet', type: 'excel', connection_string: 'finance/budget-2025.xlsx', discover: true },
    ],
  });

const testResultSchema = z
  .object({
    status: z.enum(['success', 'failed']),
    latency_ms: z.int().min(0).describe('Wall time of the whole test (resolve, connect, authenticate, discover)'),
    tested_at: timestampSchema.describe('When the test started; saved as last_tested'),
    error: z
      .object({
        code: z
          .enum(connectionErrorCodes)
          .describe(
            'auth_failed: credentials refused (401/403, wrong password, unknown user); unreachable: refused, ' +
              'reset, no route, DNS failure, or a server error; ' +
              'timeout: the connect timeout or the overall deadline passed; tls: the TLS handshake or certificate ' +
              'check failed; ' +
              'not_found: the database, file or URL (404) does not exist; blocked_by_policy: the egress policy ' +
              'refused the address before any connection; ' +
              'invalid_config: the profile cannot be used as written (unparsable connection string, path outside ' +
              'CONNECTOR_FILES_DIR, unreadable stored secret, ...)',
          ),
        message: z.string().describe('Built from driver error codes; never contains a secret'),
      })
      .optional()
      .describe('Present when status is failed'),
    schema_info: discoveredSchemaSchema.optional().describe('With discover and success'),
    discovery: z
      .object({
        tables: z.int().min(0),
        truncated: z.boolean().describe('More tables matched than max_tables allowed'),
      })
      .optional(),
  })
  .meta({
    examples: [
      {
        status: 'success',
        latency_ms: 42,
        tested_at: '2025-12-21T06:20:48.123Z',
        schema_info: {
          tables: [
            {
              schema: 'public',
              name: 'orders',
              kind: 'table',
              row_estimate: 1200,
              columns: [
                { name: 'id', source_type: 'integer', type: 'integer', nullable: false, primary_key: true },
                { name: 'note', source_type: 'text', type: 'string', nullable: true, primary_key: false },
              ],
            },
          ],
        },
        discovery: { tables: 1, truncated: false },
      },
      {
        status: 'failed',
        latency_ms: 5003,
        tested_at: '2025-12-21T06:20:48.123Z',
        error: { code: 'timeout', message: 'no answer within the 5000 ms deadline' },
      },
      {
        status: 'failed',
        latency_ms: 3,
        tested_at: '2025-12-21T06:20:48.123Z',
        error: {
          code: 'blocked_by_policy',
          message:
            'db.internal:5432 refused by the egress policy: 10.0.0.5 is a private address, not allowed by ' +
            'CONNECTOR_EGRESS_ALLOW',
        },
      },
    ],
  });

export const savedTestResponseSchema = z.object({
  result: testResultSchema,
  saved: z
    .boolean()
    .describe(
      "false when the profile's connection settings changed while the test ran: the result was not recorded on it",
    ),
  profile: profileResponseSchema.describe(
    'The profile after the test: test_status, last_tested and (with discover) schema_info updated',
  ),
});

export type SavedTestResponse = z.infer<typeof savedTestResponseSchema>;

export const unsavedTestResponseSchema = z.object({ result: testResultSchema });
