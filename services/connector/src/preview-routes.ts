// POST /connector/profiles/{id}/preview: the first rows of one table of a stored
// profile's source. Admin scope (it reads client data). The log line says who,
// which table, how many rows and the outcome; never a value.
import {
  ApiError,
  errorResponseSchema,
  errorResponses,
  notFoundError,
  type ZodTypeProvider,
} from '@analytics-engine/http';
import { createConnectorProfileRepository, type OpenDatabase } from '@analytics-engine/storage';
import type { FastifyInstance } from 'fastify';
import type { ConnectionTestConfig } from './config.js';
import { tableKey } from './connection-test/discovery.js';
import { ConnectionTestError } from './connection-test/errors.js';
import { PreviewRequestError } from './connection-test/preview-errors.js';
import { createPreviewer } from './connection-test/run-preview.js';
import { openSecrets } from './open-secrets.js';
import { DEFAULT_PREVIEW_ROWS, previewBodySchema, previewResponseSchema } from './preview-schemas.js';
import type { SecretBox } from './secret-box.js';
import { storedProfileRoute } from './stored-profile-route.js';

// 424 Failed Dependency: the request was sound and the service is well; the source it depends on failed.
const sourceFailure = errorResponseSchema.describe(
  'The source failed: code is SOURCE_ and the connection test code (SOURCE_AUTH_FAILED, SOURCE_UNREACHABLE, ' +
    'SOURCE_TIMEOUT, SOURCE_TLS, SOURCE_NOT_FOUND, SOURCE_BLOCKED_BY_POLICY, SOURCE_INVALID_CONFIG); the message ' +
    'has no secret',
);

export function registerPreviewRoutes(
  app: FastifyInstance,
  database: OpenDatabase,
  box: SecretBox,
  config: ConnectionTestConfig,
): void {
  const profiles = createConnectorProfileRepository(database.db);
  const previewer = createPreviewer(config, (label) => {
    app.log.warn({ error: label }, `a preview failed unexpectedly (${label}); reported as unreachable`);
  });

  app.withTypeProvider<ZodTypeProvider>().post(
    '/connector/profiles/:id/preview',
    // It reads the client's data with the stored secrets.
    storedProfileRoute(
      'Preview the first rows of one table',
      'Reads the first rows (default 5, at most 100) of a table, sheet or JSON array of the stored profile, ' +
        'under the ' +
        'egress policy and the test deadline. SQL: names are checked against the catalogue and quoted by the ' +
        'driver, the ' +
        'limit is bound, and the query runs in a read-only transaction with a statement timeout. Values are cut ' +
        'at 4 KiB, ' +
        'the rows at 1 MiB.',
      previewBodySchema,
      {
        200: previewResponseSchema,
        422: errorResponses[422].describe(
          'UNKNOWN_TABLE or UNKNOWN_COLUMN: the source has no such table, sheet or column',
        ),
        424: sourceFailure,
      },
    ),
    async (request) => {
      const { id } = request.params;
      const body = request.body ?? {};
      const stored = await profiles.get(id);
      if (!stored) throw notFoundError(`profile '${id}'`);
      const { type } = stored.data;
      const table = body.table ?? body.table_name;
      const { input, unusable } = openSecrets(box, stored);
      const log = (outcome: string, extra: Record<string, unknown> = {}) => {
        request.log.info(
          { profileId: id, type, table, outcome, ...extra },
          `preview of profile '${id}' (${type}): ${outcome}`,
        );
      };
      try {
        if (unusable) throw unusable;
        const result = await previewer.preview(type, input, {
          table,
          known: table === undefined ? undefined : discoveredTable(stored.data.schema_info, table),
          limit: body.limit ?? DEFAULT_PREVIEW_ROWS,
          columns: body.columns,
          timeoutMs: body.timeout_ms,
        });
        log('success', {
          rows: result.rows.length,
          columns: result.columns.length,
          truncated: result.truncated,
          latencyMs: result.latency_ms,
        });
        return result;
      } catch (error) {
        if (error instanceof PreviewRequestError) {
          log(error.code);
          throw new ApiError(422, error.code, error.message, [{ path: error.path, message: error.message }]);
        }
        if (error instanceof ConnectionTestError) {
          log(error.code);
          throw new ApiError(424, `SOURCE_${error.code.toUpperCase()}`, error.message);
        }
        throw error;
      }
    },
  );
}

/** The schema and name stored discovery holds for a key, so a name with a dot in it is found as it is. */
function discoveredTable(info: unknown, key: string): { schema?: string; name: string } | undefined {
  const tables = (info as { tables?: unknown } | undefined)?.tables;
  if (!Array.isArray(tables)) return undefined;
  for (const table of tables as unknown[]) {
    if (typeof table !== 'object' || table === null) continue;
    const { schema, name } = table as { schema?: unknown; name?: unknown };
    if (typeof name !== 'string') continue;
    const ref = typeof schema === 'string' ? { schema, name } : { name };
    if (tableKey(ref) === key) return ref;
  }
  return undefined;
}
