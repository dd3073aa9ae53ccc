// Discover and preview against the machine's PostgreSQL and MariaDB: composite
// primary keys, views, every normalised type, a 1M-row table (row estimate, and a
// preview that stays fast), bounded values, and injection attempts through table
// and column names that leave the source exactly as it was.
import type { OpenDatabase } from '@analytics-engine/storage';
import { createTestDatabase } from '@analytics-engine/storage/testing';
import { logSink, request, testApp, type LogSink } from '@analytics-engine/http/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorService } from '../src/service.js';
import { silentServer, type ListeningServer } from './connection-test-support.js';
import { MILLION, richMaria, richPostgres, ROW_MARKER, type SqlFixture } from './discover-preview-support.js';
import { columnsOf, type SchemaInfoBody } from './discovery-support.js';
import { keyEntry, type ErrorBody } from './support.js';

let database: OpenDatabase;
let app: FastifyInstance;
let sink: LogSink;
let pgSource: SqlFixture;
let maria: SqlFixture;
let silent: ListeningServer;
const cleanups: (() => Promise<void>)[] = [];
const figures: Record<string, number> = {};

beforeAll(async () => {
  database = await (await createTestDatabase()).open();
  sink = logSink();
  const env = { CONNECTOR_ENCRYPTION_KEYS: keyEntry('k1'), CONNECTOR_EGRESS_ALLOW: '127.0.0.1/32' };
  app = await testApp(connectorService, database, env, { logger: sink.logger });
  [pgSource, maria, silent] = await Promise.all([richPostgres(), richMaria(), silentServer()]);
  cleanups.push(
    () => pgSource.drop(),
    () => maria.drop(),
    () => silent.close(),
  );
  for (const [id, url] of [
    ['pg', pgSource.url],
    ['maria', maria.url],
  ] as const) {
    const created = await request(app, 'POST', '/connector/profiles', {
      id,
      name: id,
      type: 'sql',
      connection_string: url,
    });
    expect(created.statusCode).toBe(201);
  }
}, 180_000);
afterAll(async () => {
  console.info(`figures (ms): ${JSON.stringify(figures)}`);
  await app.close();
  await Promise.allSettled(cleanups.map((cleanup) => cleanup()));
  await database.close();
});

const timed = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  const result = await run();
  figures[label] = Math.round(performance.now() - started);
  return result;
};
const discover = (id: string, body?: unknown) => request(app, 'POST', `/connector/profiles/${id}/discover`, body);
const preview = (id: string, body: unknown) => request(app, 'POST', `/connector/profiles/${id}/preview`, body);
const table = (info: SchemaInfoBody, key: string) =>
  info.tables.find((t) => (t.schema === undefined ? t.name : `${t.schema}.${t.name}`) === key);
const typesOf = (info: SchemaInfoBody, key: string) =>
  Object.fromEntries(columnsOf(info, key).map((c) => [c.name, [c.source_type, c.type]]));
const keyOf = (info: SchemaInfoBody, key: string) =>
  columnsOf(info, key)
    .filter((c) => c.primary_key)
    .map((c) => c.name);

describe('PostgreSQL', () => {
  it('discovers kinds, a composite key, every normalised type and the 1M-row estimate', async () => {
    const response = await timed('pg discover', () => discover('pg', { include_schemas: ['shop', 'public'] }));
    expect(response.statusCode, response.body).toBe(200);
    const info = response.json().result.schema_info as SchemaInfoBody;
    expect(response.json().saved).toBe(true);
    expect(table(info, 'shop.shipped_lines')).toMatchObject({ kind: 'view', row_estimate: null });
    expect(table(info, 'shop.order_lines')).toMatchObject({ kind: 'table' });
    expect(keyOf(info, 'shop.order_lines')).toEqual(['order_id', 'line_no']);
    expect(keyOf(info, 'shop.shipped_lines')).toEqual([]);
    expect(typesOf(info, 'shop.order_lines')).toEqual({
      order_id: ['integer', 'integer'],
      line_no: ['smallint', 'integer'],
      sku: ['text', 'string'],
      qty: ['bigint', 'integer'],
      price: ['numeric', 'number'],
      ratio: ['double precision', 'number'],
      shipped: ['boolean', 'boolean'],
      ordered_on: ['date', 'date'],
      created_at: ['timestamp with time zone', 'timestamp'],
      local_at: ['timestamp without time zone', 'timestamp'],
      attrs: ['jsonb', 'json'],
      raw: ['json', 'json'],
      blob: ['bytea', 'binary'],
      tags: ['_text', 'other'],
      span: ['interval', 'other'],
      ref: ['uuid', 'string'],
    });
    expect(columnsOf(info, 'shop.order_lines').find((c) => c.name === 'sku')).toMatchObject({ nullable: false });
    const big = table(info, 'shop.big');
    expect(big?.row_estimate).toBe(MILLION); // analysed: reltuples is exact for a fresh table
    // The profile holds the same schema_info the answer has.
    const read = await request(app, 'GET', '/connector/profiles/pg');
    expect(read.json().schema_info).toEqual(info);
  });

  it('previews five rows of the 1M-row table fast, and a view', async () => {
    const response = await timed('pg preview 1M (5 rows)', () => preview('pg', { table: 'shop.big' }));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ table: 'shop.big', truncated: false, cut: [] });
    expect(response.json().columns).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'label', type: 'string' },
    ]);
    expect(response.json().rows).toHaveLength(5);
    expect(response.json().rows[0]).toEqual({ id: '1', label: 'row 1' }); // bigint stays text: no precision lost
    expect(figures['pg preview 1M (5 rows)']).toBeLessThan(2_000);
    const hundred = await timed('pg preview 1M (100 rows)', () => preview('pg', { table: 'shop.big', limit: 100 }));
    expect(hundred.json().rows).toHaveLength(100);
    const view = await preview('pg', { table: 'shop.shipped_lines' });
    expect(view.json().rows).toEqual([{ order_id: 1, line_no: 1, sku: ROW_MARKER }]);
    expect((await preview('pg', { table: 'shop.big', limit: 101 })).statusCode).toBe(400);
  });

  it('shapes every type: ISO dates, JSON, base64 binary with its length, long values cut at 4 KiB', async () => {
    const response = await preview('pg', { table: 'shop.order_lines', limit: 3 });
    expect(response.statusCode, response.body).toBe(200);
    const { rows, cut, truncated } = response.json();
    expect(rows[0]).toEqual({
      order_id: 1,
      line_no: 1,
      sku: ROW_MARKER,
      qty: '9007199254740993',
      price: '12.50',
      ratio: 0.25,
      shipped: true,
      ordered_on: '2024-01-02',
      created_at: '2024-01-02T10:00:00+00:00',
      local_at: '2024-01-02T10:00:00',
      attrs: { colour: 'red' },
      raw: [1, 2],
      blob: { base64: Buffer.from([0, 255, 16]).toString('base64'), length: 3 },
      tags: '{a,b}',
      span: '1 day',
      ref: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    });
    const long = rows[1];
    expect(Buffer.byteLength(long.sku)).toBeLessThanOrEqual(4096);
    expect(long.sku).toBe('é'.repeat(2048));
    expect(long.blob.length).toBe(10_000);
    expect(Buffer.from(long.blob.base64, 'base64')).toHaveLength(4096);
    expect(typeof long.attrs).toBe('string'); // cut JSON stays text
    expect(truncated).toBe(true);
    expect(cut).toEqual([
      { row: 1, column: 'sku', bytes: 10_000 },
      { row: 1, column: 'attrs', bytes: expect.any(Number) },
      { row: 1, column: 'blob', bytes: 10_000 },
    ]);
    const picked = await preview('pg', { table: 'shop.order_lines', columns: ['sku', 'order_id'], limit: 1 });
    expect(picked.json().rows).toEqual([{ sku: ROW_MARKER, order_id: 1 }]);
  });
});

describe('MariaDB', () => {
  it('discovers kinds, a composite key, every normalised type and the 1M-row estimate', async () => {
    const response = await timed('maria discover', () => discover('maria'));
    expect(response.statusCode, response.body).toBe(200);
    const info = response.json().result.schema_info as SchemaInfoBody;
    const schema = info.tables[0]!.schema!;
    expect(table(info, `${schema}.shipped_lines`)).toMatchObject({ kind: 'view', row_estimate: null });
    expect(keyOf(info, `${schema}.order_lines`)).toEqual(['order_id', 'line_no']);
    expect(typesOf(info, `${schema}.order_lines`)).toEqual({
      order_id: ['int', 'integer'],
      line_no: ['smallint', 'integer'],
      sku: ['varchar', 'string'],
      qty: ['bigint', 'integer'],
      price: ['decimal', 'number'],
      ratio: ['double', 'number'],
      shipped: ['tinyint', 'boolean'],
      ordered_on: ['date', 'date'],
      created_at: ['datetime', 'timestamp'],
      attrs: ['json', 'json'],
      payload: ['longblob', 'binary'],
      note: ['longtext', 'string'],
      at_time: ['time', 'other'],
    });
    // InnoDB's TABLE_ROWS is sampled: near a million, not exact.
    const estimate = table(info, `${schema}.big`)?.row_estimate ?? 0;
    expect(estimate).toBeGreaterThan(MILLION * 0.5);
    expect(estimate).toBeLessThan(MILLION * 1.5);
  });

  it('previews the 1M-row table fast and shapes every type', async () => {
    const info = (await request(app, 'GET', '/connector/profiles/maria')).json().schema_info as SchemaInfoBody;
    const schema = info.tables[0]!.schema!;
    const big = await timed('maria preview 1M (5 rows)', () => preview('maria', { table: `${schema}.big` }));
    expect(big.statusCode, big.body).toBe(200);
    expect(big.json().rows).toEqual([1, 2, 3, 4, 5].map((id) => ({ id, label: `row ${id}` })));
    expect(figures['maria preview 1M (5 rows)']).toBeLessThan(2_000);
    // A bare name is a table of the database the connection string names.
    const lines = await preview('maria', { table: 'order_lines' });
    expect(lines.statusCode, lines.body).toBe(200);
    const [first, second] = lines.json().rows;
    expect(first).toEqual({
      order_id: 1,
      line_no: 1,
      sku: ROW_MARKER,
      qty: 42,
      price: '12.50',
      ratio: 0.25,
      shipped: true,
      ordered_on: '2024-01-02',
      created_at: '2024-01-02 10:00:00',
      attrs: { colour: 'red' },
      payload: { base64: Buffer.from([0, 255, 16]).toString('base64'), length: 3 },
      note: 'short',
      at_time: '10:30:00',
    });
    expect(second.payload.length).toBe(10_000);
    expect(second.note).toBe('é'.repeat(2048));
    expect(lines.json().cut).toEqual([
      { row: 1, column: 'payload', bytes: 10_000 },
      { row: 1, column: 'note', bytes: 10_000 },
    ]);
  });
});

/** What an attack could change: the tables there are and the victim's rows. */
const pgSnapshot = async () => ({
  tables: await pgSource.query(
    "select table_schema, table_name from information_schema.tables where table_schema in ('public', 'shop') " +
      'order by 1, 2',
  ),
  victim: await pgSource.query('select * from public.victim order by id'),
  big: await pgSource.query('select count(*)::int as n from shop.big'),
});
const mariaSnapshot = async () => ({
  tables: await maria.query('show full tables'),
  victim: await maria.query('select * from victim order by id'),
  checksum: await maria.query('checksum table victim'),
});

describe('injection through table and column names', () => {
  const attempts = [
    'users; DROP TABLE x',
    '"; --',
    'public.victim; DROP TABLE public.victim; --',
    'public.victim" ; DELETE FROM public.victim; --',
    "victim' OR '1'='1",
    'victim`; DROP TABLE victim; --',
    'shop.big LIMIT 1; UPDATE public.victim SET note = null',
  ];

  it('PostgreSQL: refuses unknown names and quotes odd real ones; the source is unchanged', async () => {
    const before = await pgSnapshot();
    for (const attempt of attempts) {
      const response = await preview('pg', { table: attempt });
      expect(response.statusCode, attempt).toBe(422);
      expect(response.json<ErrorBody>().code).toBe('UNKNOWN_TABLE');
    }
    const column = await preview('pg', { table: 'public.victim', columns: ['id; DROP TABLE public.victim', 'id'] });
    expect(column.statusCode).toBe(422);
    expect(column.json<ErrorBody>()).toMatchObject({ code: 'UNKNOWN_COLUMN', details: [{ path: 'body.columns.0' }] });
    // A real table whose name is an attack is just a name, quoted.
    const odd = await preview('pg', { table: 'public.weird "name"; drop table public.victim; --' });
    expect(odd.statusCode, odd.body).toBe(200);
    expect(odd.json().rows).toEqual([{ id: 7 }]);
    expect(await pgSnapshot()).toEqual(before);
    expect(before.victim).toHaveLength(3);
  });

  it('MariaDB: the same', async () => {
    const before = await mariaSnapshot();
    for (const attempt of attempts) {
      const response = await preview('maria', { table: attempt });
      expect(response.statusCode, attempt).toBe(422);
    }
    const column = await preview('maria', { table: 'victim', columns: ['id`, (select 1); drop table victim; --'] });
    expect(column.json<ErrorBody>().code).toBe('UNKNOWN_COLUMN');
    const odd = await preview('maria', { table: 'we`ird; drop table victim; --' });
    expect(odd.statusCode, odd.body).toBe(200);
    expect(odd.json().rows).toEqual([{ id: 7 }]);
    expect(await mariaSnapshot()).toEqual(before);
  });
});

describe('rediscovery, selection and failures', () => {
  it('says what changed since the last discovery and which selected tables are gone', async () => {
    const picked = await request(app, 'PATCH', '/connector/profiles/pg', {
      selected_tables: ['shop.order_lines', 'public.victim'],
    });
    expect(picked.statusCode, picked.body).toBe(200);
    const unknown = await request(app, 'PATCH', '/connector/profiles/pg', { selected_tables: ['shop.nothing'] });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json<ErrorBody>().message).toContain("'shop.nothing'");

    await pgSource.query(`
      create table shop.extra (id int);
      alter table shop.order_lines add column added text, drop column span, alter column ratio type real;
      alter table public.victim rename to victim_renamed;`);
    const response = await discover('pg', { include_schemas: ['shop', 'public'] });
    const { changes } = response.json().result.schema_info;
    expect(changes).toMatchObject({
      tables_added: ['public.victim_renamed', 'shop.extra'],
      tables_removed: ['public.victim'],
      columns_added: [{ table: 'shop.order_lines', column: 'added' }],
      columns_removed: [{ table: 'shop.order_lines', column: 'span' }],
      columns_retyped: [{ table: 'shop.order_lines', column: 'ratio', from: 'double precision', to: 'real' }],
      selected_tables_missing: ['public.victim'],
    });
    expect(changes.since).toMatch(/^\d{4}-/);
    // Reported, not removed.
    expect(response.json().profile.selected_tables).toEqual(['shop.order_lines', 'public.victim']);
    expect(response.json().profile.schema_info.changes).toEqual(changes);
    const again = await discover('pg', { include_schemas: ['shop', 'public'] });
    expect(again.json().result.schema_info.changes).toMatchObject({
      tables_added: [],
      tables_removed: [],
      columns_retyped: [],
    });
  });

  it('gives typed errors under the deadline, and keeps secrets out of answers and logs', async () => {
    const started = Date.now();
    await request(app, 'POST', '/connector/profiles', {
      id: 'silent',
      name: 'silent',
      type: 'sql',
      connection_string: `postgres://u:p@127.0.0.1:${silent.port}/x`,
    });
    const slow = await preview('silent', { table: 'x', timeout_ms: 800 });
    expect(slow.statusCode).toBe(424);
    expect(slow.json<ErrorBody>().code).toBe('SOURCE_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(10_000);
    const password = `pw-${Date.now()}-secret`;
    await request(app, 'POST', '/connector/profiles', {
      id: 'denied',
      name: 'denied',
      type: 'sql',
      connection_string: `mysql://nobody_here:${password}@127.0.0.1:3306/x`,
    });
    const denied = await preview('denied', { table: 'x' });
    expect(denied.statusCode).toBe(424);
    expect(denied.json<ErrorBody>().code).toBe('SOURCE_AUTH_FAILED');
    expect(denied.body).not.toContain(password);
    expect(sink.lines.join('\n')).not.toContain(password);
    expect((await preview('nobody', { table: 'x' })).statusCode).toBe(404);
  });

  it('logs each preview without any row content', () => {
    const lines = sink.lines.filter((line) => line.includes('preview of profile'));
    expect(lines.length).toBeGreaterThan(10);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, profileId: 'pg', outcome: 'success', rows: 5 });
    expect(sink.lines.join('\n')).not.toContain(ROW_MARKER);
    expect(sink.lines.join('\n')).not.toContain('row 1"');
  });
});
