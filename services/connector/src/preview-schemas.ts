// Body and answer of POST /connector/profiles/{id}/preview.
import { z } from 'zod';
import { normalisedTypes } from './connection-test/normalised-types.js';
import { MAX_PREVIEW_BYTES, MAX_VALUE_BYTES } from './connection-test/preview-shaping.js';

export const DEFAULT_PREVIEW_ROWS = 5;
export const MAX_PREVIEW_ROWS = 100;

const name = z
  .string()
  .min(1)
  .max(1024)
  .refine((value) => !value.includes('\u0000'), 'must not contain the NUL character (\\u0000)');

export const previewBodySchema = z
  .strictObject({
    table: name
      .optional()
      .describe(
        'sql: a schema.table key of schema_info (or a table of the default schema); api: the member holding the ' +
          'array ' +
          '(default: the first array); excel: the sheet (default: the first)',
      ),
    table_name: name.optional().describe("The Python Connector's name for table (table wins when both are sent)"),
    limit: z
      .int()
      .min(1)
      .max(MAX_PREVIEW_ROWS)
      .optional()
      .describe(`Rows to read (default ${DEFAULT_PREVIEW_ROWS}, at most ${MAX_PREVIEW_ROWS})`),
    columns: z.array(name).min(1).max(500).optional().describe('Only these columns, in this order (default: all)'),
    timeout_ms: z
      .int()
      .min(100)
      .max(300_000)
      .optional()
      .describe('Overall deadline in ms (default and cap: CONNECTOR_TEST_TIMEOUT_MS)'),
  })
  .meta({
    examples: [
      { table: 'public.orders', limit: 5 },
      { table: 'Orders', columns: ['id', 'amount'] },
    ],
  });

export type PreviewBody = z.infer<typeof previewBodySchema>;

export const previewResponseSchema = z
  .object({
    table: z.string(),
    columns: z.array(z.object({ name: z.string(), type: z.enum(normalisedTypes) })),
    rows: z
      .array(z.record(z.string(), z.unknown()))
      .describe(
        `Row objects by column name. Values over ${MAX_VALUE_BYTES} bytes are cut (see cut); binary values are ` +
          '{base64, length}; dates and timestamps ISO-8601 text as the source spells them; numeric and bigint ' +
          'values the ' +
          'driver returns as text stay text',
      ),
    truncated: z
      .boolean()
      .describe(`Rows were left out to keep the rows under ${MAX_PREVIEW_BYTES} bytes of JSON, or a value was cut`),
    cut: z
      .array(
        z.object({ row: z.int(), column: z.string(), bytes: z.int().nullable().describe('Its whole size, if known') }),
      )
      .describe('The values cut'),
    latency_ms: z.int().min(0),
  })
  .meta({
    examples: [
      {
        table: 'public.orders',
        columns: [
          { name: 'id', type: 'integer' },
          { name: 'note', type: 'string' },
        ],
        rows: [{ id: 1, note: 'first' }],
        truncated: false,
        cut: [],
        latency_ms: 12,
      },
    ],
  });
