// POST /connector/profiles/:id/test and /connector/profiles/test against the
// machine's PostgreSQL and MariaDB, and the SQL Server path up to the driver (no
// SQL Server runs here). 127.0.0.1/32 is allowed explicitly; everything else is
// refused by the default egress policy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useConnectionTestApp } from './connection-test-app.js';
import {
  closedPort,
  mariaSource,
  postgresSource,
  secret,
  silentServer,
  type ListeningServer,
  type MariaSource,
} from './connection-test-support.js';
import { column, columnsOf, tableList } from './discovery-support.js';
import type { ScratchPostgres } from './source-databases.js';

const suite = useConnectionTestApp({ CONNECTOR_EGRESS_ALLOW: '127.0.0.1/32' });
const { call } = suite;
let pgSource: ScratchPostgres;
let maria: MariaSource;
let silent: ListeningServer;
let deadPort: number;
const pgPassword = secret('pg');

beforeAll(async () => {
  [pgSource, maria, silent, deadPort] = await Promise.all([
    postgresSource(),
    mariaSource(),
    silentServer(),
    closedPort(),
  ]);
});
afterAll(async () => {
  await Promise.allSettled([pgSource.drop(), maria.drop(), silent.close()]);
});

const testUnsaved = (body: Record<string, unknown>) => suite.testUnsaved({ type: 'sql', ...body });
/** Each connection string fails as invalid_config. */
async function expectInvalidConfig(strings: string[], body: Record<string, unknown> = {}): Promise<void> {
  for (const connection_string of strings) {
    const response = await testUnsaved({ connection_string, ...body });
    expect(response.json().result, connection_string).toMatchObject({
      status: 'failed',
      error: { code: 'invalid_config' },
    });
  }
}
const pgUrl = (database = pgSource.name, user = 'postgres') =>
  `postgres://${user}:${pgPassword}@127.0.0.1:${pgSource.port}/${database}`;

describe('PostgreSQL', () => {
  it('tests a stored profile, discovers every non-system schema, and saves the outcome', async () => {
    const created = await call('POST', '/connector/profiles', {
      id: 'pg',
      name: 'Local PostgreSQL',
      type: 'sql',
      connection_string: pgUrl(),
    });
    expect(created.statusCode).toBe(201);
    const tested = await call('POST', '/connector/profiles/pg/test', { discover: true });
    expect(tested.statusCode).toBe(200);
    const body = tested.json();
    expect(body.result).toMatchObject({ status: 'success', discovery: { tables: 5, truncated: false } });
    expect(body.result.error).toBeUndefined();
    expect(body.result.latency_ms).toBeGreaterThanOrEqual(0);
    expect(body.saved).toBe(true);
    expect(tableList(body.result.schema_info)).toEqual([
      { schema: 'archive', name: 'old_orders', kind: 'table' },
      { schema: 'public', name: 'widget_names', kind: 'view' },
      { schema: 'public', name: 'widgets', kind: 'table' },
      { schema: 'sales', name: 'customers', kind: 'table' },
      { schema: 'sales', name: 'orders', kind: 'table' },
    ]);
    expect(columnsOf(body.result.schema_info, 'sales.orders')).toEqual([
      column('id', 'integer', 'integer', 'primary key'),
      column('customer', 'text', 'string'),
      column('amount', 'numeric', 'number', 'nullable'),
      column('ordered_on', 'date', 'date', 'nullable'),
    ]);
    expect(columnsOf(body.result.schema_info, 'public.widgets')).toEqual([
      column('id', 'integer', 'integer', 'primary key'),
      column('label', 'character varying', 'string', 'nullable'),
    ]);
    expect(body.profile).toMatchObject({
      id: 'pg',
      test_status: 'success',
      last_tested: body.result.tested_at,
      schema_info: body.result.schema_info,
    });
    expect(tested.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);

    const read = await call('GET', '/connector/profiles/pg');
    expect(read.json()).toMatchObject({
      test_status: 'success',
      last_tested: body.result.tested_at,
      schema_info: body.result.schema_info,
    });
    expect(read.headers.etag).toBe(tested.headers.etag);
  });

  it('bounds discovery by include/exclude patterns and max_tables', async () => {
    const included = await testUnsaved({
      connection_string: pgUrl(),
      discover: true,
      include_schemas: ['sal*', 'archive'],
      exclude_schemas: ['arch?ve'],
    });
    expect(tableList(included.json().result.schema_info)).toEqual([
      { schema: 'sales', name: 'customers', kind: 'table' },
      { schema: 'sales', name: 'orders', kind: 'table' },
    ]);
    expect(columnsOf(included.json().result.schema_info, 'sales.customers').map((c) => c.name)).toEqual([
      'id',
      'email',
    ]);

    const exact = await testUnsaved({ connection_string: pgUrl(), discover: true, include_schemas: ['public'] });
    expect(
      exact
        .json<{ result: { schema_info: { tables: { name: string }[] } } }>()
        .result.schema_info.tables.map((t) => t.name),
    ).toEqual(['widget_names', 'widgets']);

    const limited = await testUnsaved({ connection_string: pgUrl(), discover: true, max_tables: 2 });
    expect(limited.json().result).toMatchObject({ status: 'success', discovery: { tables: 2, truncated: true } });
    expect(tableList(limited.json().result.schema_info)).toEqual([
      { schema: 'archive', name: 'old_orders', kind: 'table' },
      { schema: 'public', name: 'widget_names', kind: 'view' },
    ]);

    // A glob's LIKE characters are literal: "sales_" does not match "salesX".
    const literal = await testUnsaved({ connection_string: pgUrl(), discover: true, include_schemas: ['sale_'] });
    expect(literal.json().result.schema_info.tables).toEqual([]);
  });

  it('accepts libpq key=value strings and credentials that override the string', async () => {
    const keyValue = await testUnsaved({
      connection_string: `host=127.0.0.1 port=${pgSource.port} dbname=${pgSource.name} user=nobody_here`,
      credentials: { username: 'postgres', password: pgPassword },
    });
    expect(keyValue.json().result).toMatchObject({ status: 'success' });
  });

  it('gives auth_failed for a role the server refuses', async () => {
    // pg_hba here is trust for every user, so a wrong password still logs in:
    // an unknown role is what the server refuses (SQLSTATE 28000).
    const response = await testUnsaved({ connection_string: pgUrl(pgSource.name, 'no_such_role_ct') });
    expect(response.json().result).toMatchObject({ status: 'failed', error: { code: 'auth_failed' } });
    expect(response.json().result.error.message).toContain('28000');
  });

  it('gives not_found for a missing database', async () => {
    const response = await testUnsaved({ connection_string: pgUrl('ae_test_no_such_database') });
    expect(response.json().result).toMatchObject({ status: 'failed', error: { code: 'not_found' } });
  });

  it('gives unreachable for a closed port', async () => {
    const response = await testUnsaved({
      connection_string: `postgres://postgres:${pgPassword}@127.0.0.1:${deadPort}/x`,
    });
    expect(response.json().result).toMatchObject({
      status: 'failed',
      error: { code: 'unreachable', message: expect.stringContaining('ECONNREFUSED') },
    });
  });

  it('gives timeout within the deadline when the server never answers', async () => {
    const started = Date.now();
    const response = await testUnsaved({
      connection_string: `postgres://postgres@127.0.0.1:${silent.port}/x`,
      timeout_ms: 800,
    });
    expect(response.json().result).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
    expect(Date.now() - started).toBeLessThan(10_000); // far below a hang, well above load jitter
  });

  it('gives tls when TLS is required and the server has none', async () => {
    const response = await testUnsaved({ connection_string: `${pgUrl()}?sslmode=require` });
    expect(response.json().result).toMatchObject({ status: 'failed', error: { code: 'tls' } });
  });

  it('gives invalid_config for strings it cannot use', async () => {
    await expectInvalidConfig([
      'nonsense',
      'ftp://host/x',
      'postgres://postgres@127.0.0.1:99999/x',
      'host=/var/run/postgresql user=x',
      `${pgUrl()}?sslmode=sometimes`,
    ]);
    const noString = await testUnsaved({});
    expect(noString.json().result.error.code).toBe('invalid_config');
  });

  it('records a failure on the profile and keeps the schema it discovered before', async () => {
    await call('PATCH', '/connector/profiles/pg', { connection_string: pgUrl('ae_test_gone') });
    const tested = await call('POST', '/connector/profiles/pg/test');
    expect(tested.statusCode, tested.body).toBe(200);
    expect(tested.json().result).toMatchObject({ status: 'failed', error: { code: 'not_found' } });
    expect(tested.json().profile.test_status).toBe('failed');
    expect(tested.json().profile.schema_info.tables).toHaveLength(5);
  });

  it('answers 404 for a profile that does not exist, and 400 for bad options', async () => {
    expect((await call('POST', '/connector/profiles/nobody/test', {})).statusCode).toBe(404);
    const bad = await call('POST', '/connector/profiles/pg/test', { max_tables: 0, surprise: true });
    expect(bad.statusCode).toBe(400);
  });
});

describe('MariaDB', () => {
  const url = (password: string, database = maria.database) =>
    `mysql://${maria.user}:${password}@127.0.0.1:${maria.port}/${database}`;

  it('tests a stored profile with the password in credentials and discovers the database', async () => {
    const created = await call('POST', '/connector/profiles', {
      id: 'maria',
      name: 'Local MariaDB',
      type: 'sql',
      connection_string: `mysql://127.0.0.1:${maria.port}/${maria.database}`,
      credentials: { username: maria.user, password: maria.password },
    });
    expect(created.statusCode).toBe(201);
    const tested = await call('POST', '/connector/profiles/maria/test', { discover: true });
    const body = tested.json();
    expect(body.result).toMatchObject({ status: 'success', discovery: { tables: 2, truncated: false } });
    expect(tableList(body.result.schema_info)).toEqual([
      { schema: maria.database, name: 'items', kind: 'table' },
      { schema: maria.database, name: 'tags', kind: 'table' },
    ]);
    expect(columnsOf(body.result.schema_info, `${maria.database}.items`)).toEqual([
      column('id', 'int', 'integer', 'primary key'),
      column('title', 'varchar', 'string', 'nullable'),
      column('price', 'decimal', 'number'),
    ]);
    expect(columnsOf(body.result.schema_info, `${maria.database}.tags`)).toEqual([column('name', 'varchar', 'string')]);
    expect(body.profile).toMatchObject({
      test_status: 'success',
      schema_info: body.result.schema_info,
      credentials: { password_set: true },
    });
  });

  it('honours max_tables and exclude_schemas', async () => {
    const limited = await testUnsaved({ connection_string: url(maria.password), discover: true, max_tables: 1 });
    expect(limited.json().result).toMatchObject({ status: 'success', discovery: { tables: 1, truncated: true } });
    const excluded = await testUnsaved({
      connection_string: url(maria.password),
      discover: true,
      include_schemas: ['ct_*'],
      exclude_schemas: [maria.database],
    });
    expect(excluded.json().result.schema_info.tables).toEqual([]);
  });

  it('gives auth_failed for a wrong password', async () => {
    const wrong = secret('wrong');
    const response = await testUnsaved({ connection_string: url(wrong) });
    expect(response.json().result).toMatchObject({
      status: 'failed',
      error: { code: 'auth_failed', message: expect.stringContaining('ER_ACCESS_DENIED_ERROR') },
    });
    expect(response.body).not.toContain(wrong);
    expect(response.body).not.toContain(maria.user);
  });

  it('gives not_found for a database that does not exist', async () => {
    const response = await testUnsaved({
      connection_string: `mysql://root@127.0.0.1:${maria.port}/ct_missing_database`,
    });
    expect(response.json().result).toMatchObject({ status: 'failed', error: { code: 'not_found' } });
  });

  it('gives unreachable for a closed port and timeout for a silent server', async () => {
    const closed = await testUnsaved({ connection_string: `mysql://u:p@127.0.0.1:${deadPort}/x` });
    expect(closed.json().result.error.code).toBe('unreachable');
    const started = Date.now();
    const slow = await testUnsaved({ connection_string: `mysql://u:p@127.0.0.1:${silent.port}/x`, timeout_ms: 800 });
    expect(slow.json().result.error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(10_000); // far below a hang, well above load jitter
  });
});

describe('SQL Server (no server here: up to the driver)', () => {
  it('gives invalid_config for malformed Server=... strings', async () => {
    await expectInvalidConfig(
      [
        'Server=;Database=x;',
        'Server=db;Database',
        'Server=db\\SQLEXPRESS;Database=x;',
        'Server=db,notaport;Database=x;',
        'Server={db;Database=x;',
      ],
      { credentials: { username: 'sa', password: 'x' } },
    );
  });

  it('gives unreachable for a closed port and timeout for a silent one', async () => {
    const closed = await testUnsaved({
      connection_string: `Server=127.0.0.1,${deadPort};Database=test;User Id=sa;Password=${secret('mssql')};`,
    });
    expect(closed.json().result).toMatchObject({ status: 'failed', error: { code: 'unreachable' } });
    const started = Date.now();
    const slow = await testUnsaved({
      connection_string: `Server=tcp:127.0.0.1,${silent.port};Database=test;`,
      credentials: { username: 'sa', password: 'x' },
      timeout_ms: 800,
    });
    expect(slow.json().result.error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(10_000); // far below a hang, well above load jitter
  });
});

it('logs one line per test and never a secret', () => {
  const lines = suite.sink.lines.filter((line) => line.includes('connection test of'));
  const tests = suite.responses.filter((r) => r.statusCode === 200 && r.json().result !== undefined);
  expect(lines).toHaveLength(tests.length);
  expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, profileId: 'pg', type: 'sql', outcome: 'success' });
  suite.expectNoSecret([pgPassword, maria.password]);
});
