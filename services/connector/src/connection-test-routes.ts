// POST /connector/profiles/:id/test and POST /connector/profiles/test: connect to
// a profile's source (stored or unsaved) and report the outcome. Secrets are
// opened here, handed to the driver and nowhere else; the log gets one info line
// per test (profile id, type, outcome code, latency).
import {
  notFoundError,
  setEtag,
  type ServiceMetrics,
  writeErrorResponses as writeErrors,
  type ZodTypeProvider,
} from '@analytics-engine/http';
import {
  findUnstorableText,
  InvalidDocumentError,
  type ConnectorProfile,
  type ConnectorType,
  type OpenDatabase,
} from '@analytics-engine/storage';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ConnectionTestConfig } from './config.js';
import {
  DEFAULT_MAX_TABLES,
  discoverOptionsSchema,
  type SavedTestResponse,
  savedTestResponseSchema,
  testOptionsSchema,
  unsavedTestBodySchema,
  unsavedTestResponseSchema,
  type TestOptionsBody,
} from './connection-test-schemas.js';
import type { ProbeInput } from './connection-test/probe.js';
import { createConnectionTester, type TestOptions, type TestResult } from './connection-test/run-test.js';
import { sealingProfileRepository } from './profile-resource.js';
import type { ProfileSecrets } from './profile-secrets.js';
import { openSecrets } from './open-secrets.js';
import { schemaChanges } from './schema-changes.js';
import { testResultChange } from './test-result-changes.js';
import { connectionTestTags, storedProfileRoute } from './stored-profile-route.js';
import type { SecretBox } from './secret-box.js';

const PREFIX = '/connector/profiles';

export function registerConnectionTestRoutes(
  app: FastifyInstance,
  database: OpenDatabase,
  secrets: ProfileSecrets,
  box: SecretBox,
  config: ConnectionTestConfig,
  metrics: ServiceMetrics,
): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  // A saved result is a write: it seals what a Python-era row still holds in plaintext, as every write does.
  const profiles = sealingProfileRepository(database.db, secrets);
  const tester = createConnectionTester(config, (label) => {
    app.log.warn({ error: label }, `a connection test failed unexpectedly (${label}); reported as unreachable`);
  });

  const logOutcome = (log: FastifyBaseLogger, profileId: string | null, type: ConnectorType, result: TestResult) => {
    const outcome = result.error?.code ?? 'success';
    metrics.connectionTestOutcome(outcome);
    log.info(
      {
        profileId,
        type,
        outcome,
        latencyMs: result.latency_ms,
        ...(result.discovery ? { tables: result.discovery.tables } : {}),
      },
      `connection test of ${profileId === null ? 'an unsaved profile' : `profile '${profileId}'`} (${type}): ` +
        `${outcome} in ${result.latency_ms} ms`,
    );
  };

  /** Test (and with discovery options, discover) a stored profile; the outcome recorded on it. */
  const testStored = async (
    id: string,
    options: TestOptions,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<SavedTestResponse> => {
    const stored = await profiles.get(id);
    if (!stored) throw notFoundError(`profile '${id}'`);
    const { input, unusable } = openSecrets(box, stored);
    const { type } = stored.data;
    const result = await tester.test(type, input, options, unusable);
    logOutcome(request.log, id, type, result);
    const discovered = result.schema_info;
    // schema_info as stored: the tables, when, and what changed since the discovery it replaces.
    const recorded = (current: ConnectorProfile) =>
      discovered && {
        tables: discovered.tables,
        discovered_at: result.tested_at,
        changes: schemaChanges(current.schema_info, discovered, current.selected_tables),
      };
    let saved: ConnectorProfile | undefined;
    let schemaInfo = recorded(stored.data);
    // The result, its audit row and its events commit together.
    const updated = await database.db.transaction().execute(async (trx) => {
      const written = await sealingProfileRepository(trx, secrets).update(id, (current) => {
        // A result is only true of the settings it tested.
        if (!sameSettings(current, stored.data)) return current;
        saved = current;
        schemaInfo = recorded(current);
        return {
          ...current,
          test_status: result.status,
          last_tested: result.tested_at,
          ...(schemaInfo ? { schema_info: schemaInfo } : {}),
        };
      });
      if (saved) {
        await app.changeLog.record(trx, request, [testResultChange(id, saved, written.data, result, schemaInfo)]);
      }
      return written;
    });
    setEtag(reply, updated.version);
    return {
      result: schemaInfo ? { ...result, schema_info: schemaInfo } : result,
      saved: saved !== undefined,
      profile: secrets.toResponse(updated, request.log),
    };
  };

  routes.post(
    `${PREFIX}/:id/test`,
    storedProfileRoute(
      'Test a stored profile (and discover its schema)',
      'Connects to the source with the stored secrets, then records test_status, last_tested and, with ' +
        'discover, schema_info on the profile. ' +
        'A failed test is still a 200: result.error has the code and a message without secrets. ' +
        'The egress policy refuses loopback, link-local, private and other special addresses unless ' +
        'CONNECTOR_EGRESS_ALLOW allows them.',
      testOptionsSchema,
      { 200: savedTestResponseSchema },
    ),
    (request, reply) => testStored(request.params.id, testOptions(request.body), request, reply),
  );

  routes.post(
    `${PREFIX}/:id/discover`,
    storedProfileRoute(
      "Discover a stored profile's tables, columns, primary keys and row estimates",
      'A connection test with discovery: stores schema_info {tables: [{schema, name, kind, row_estimate, ' +
        'columns: ' +
        '[{name, source_type, type, nullable, primary_key}]}], discovered_at, changes} and records test_status ' +
        'and last_tested. ' +
        'changes says what differs from the previous discovery (tables and columns added, removed, retyped) and ' +
        'which ' +
        'selected_tables it no longer holds (they stay selected). A failed discovery is a 200 with ' +
        'result.error, and keeps the ' +
        'schema_info stored before.',
      discoverOptionsSchema,
      { 200: savedTestResponseSchema },
    ),
    (request, reply) => testStored(request.params.id, testOptions({ ...request.body, discover: true }), request, reply),
  );

  routes.post(
    `${PREFIX}/test`,
    {
      // It takes a secret to reach out of the service.
      config: { scope: 'admin' },
      schema: {
        tags: connectionTestTags,
        summary: 'Test an unsaved profile',
        description:
          'Takes the body of POST /connector/profiles (id optional) plus the test options, tests it like a stored ' +
          'profile, and stores nothing.',
        body: unsavedTestBodySchema,
        response: { 200: unsavedTestResponseSchema, ...writeErrors },
      },
    },
    async (request) => {
      const {
        id,
        type,
        connection_string,
        credentials,
        discover,
        include_schemas,
        exclude_schemas,
        max_tables,
        timeout_ms,
      } = request.body;
      const options = { discover, include_schemas, exclude_schemas, max_tables, timeout_ms };
      const issue = findUnstorableText({ connection_string, credentials });
      if (issue) throw new InvalidDocumentError([issue]);
      const input: ProbeInput = {
        connectionString: connection_string,
        username: credentials?.username,
        password: credentials?.password,
      };
      const result = await tester.test(type, input, testOptions(options));
      logOutcome(request.log, id ?? null, type, result);
      return { result };
    },
  );
}

function testOptions(body: TestOptionsBody | null | undefined): TestOptions {
  return {
    timeoutMs: body?.timeout_ms,
    discover: body?.discover
      ? {
          include: body.include_schemas ?? [],
          exclude: body.exclude_schemas ?? [],
          maxTables: body.max_tables ?? DEFAULT_MAX_TABLES,
        }
      : undefined,
  };
}

function sameSettings(a: ConnectorProfile, b: ConnectorProfile): boolean {
  return (
    a.type === b.type &&
    a.connection_string === b.connection_string &&
    a.credentials?.username === b.credentials?.username &&
    a.credentials?.password === b.credentials?.password
  );
}
