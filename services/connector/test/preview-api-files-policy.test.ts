// Preview of API and file sources on local fixtures, the 1 MiB bound, and what
// guards every preview: admin scope, and the egress policy (no allowance: refused
// with no connection made).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenDatabase } from '@analytics-engine/storage';
import { createTestDatabase } from '@analytics-engine/storage/testing';
import { request, testApp } from '@analytics-engine/http/testing';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorService } from '../src/service.js';
import { keyEntry, type ErrorBody } from './support.js';

let database: OpenDatabase;
let app: FastifyInstance;
let guarded: FastifyInstance;
let server: Server;
let base: string;
let filesDir: string;
let connections = 0;
const adminToken = 'admin-token-0123456789abcdef';
const writeToken = 'write-token-0123456789abcdef';

const wideRow = (id: number) => ({
  id,
  a: 'a'.repeat(3000),
  b: 'b'.repeat(3000),
  c: 'c'.repeat(3000),
  d: 'd'.repeat(3000),
});

beforeAll(async () => {
  server = createServer((req, res) => {
    const send = (body: unknown) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/orders') send([{ id: 1, total: 9.5, when: '2024-01-02' }, { id: 2, extra: { nested: true } }, 7]);
    else if (req.url === '/wrapped')
      send({ meta: { page: 1 }, orders: [{ id: 1 }], refunds: [{ id: 9, why: 'late' }] });
    else if (req.url === '/wide') send(Array.from({ length: 100 }, (_v, i) => wideRow(i)));
    else res.writeHead(404).end();
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  filesDir = await mkdtemp(join(tmpdir(), 'preview-files-'));
  const workbook = new ExcelJS.Workbook();
  const orders = workbook.addWorksheet('Orders');
  orders.addRow(['id', 'customer', 'paid', 'ordered_on']);
  for (let i = 1; i <= 8; i += 1) orders.addRow([i, `customer ${i}`, i % 2 === 0, new Date(Date.UTC(2024, 0, i))]);
  workbook.addWorksheet('Empty').addRow(['only', 'header']);
  await workbook.xlsx.writeFile(join(filesDir, 'book.xlsx'));
  await writeFile(join(filesDir, 'people.csv'), 'id,name\n1,Ada\n2,Grace\n');

  database = await (await createTestDatabase()).open();
  const keys = { CONNECTOR_ENCRYPTION_KEYS: keyEntry('k1'), CONNECTOR_FILES_DIR: filesDir };
  app = await testApp(connectorService, database, { ...keys, CONNECTOR_EGRESS_ALLOW: '127.0.0.1/32' });
  guarded = await testApp(connectorService, database, { ...keys, API_KEYS: `write:${writeToken},admin:${adminToken}` });
  const profiles: [string, string, string][] = [
    ['orders', 'api', `${base}/orders`],
    ['wrapped', 'api', `${base}/wrapped`],
    ['wide', 'api', `${base}/wide`],
    ['book', 'excel', 'book.xlsx'],
    ['people', 'excel', 'people.csv'],
  ];
  for (const [id, type, connection_string] of profiles) {
    expect(
      (await request(app, 'POST', '/connector/profiles', { id, name: id, type, connection_string })).statusCode,
    ).toBe(201);
  }
});
afterAll(async () => {
  await Promise.allSettled([app.close(), guarded.close()]);
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  await rm(filesDir, { recursive: true, force: true });
  await database.close();
});

const preview = (id: string, body: unknown = {}) => request(app, 'POST', `/connector/profiles/${id}/preview`, body);

describe('API sources', () => {
  it('previews the first items of the JSON array, columns in first-seen order', async () => {
    const response = await preview('orders', { limit: 3 });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ table: 'orders', truncated: false, cut: [] });
    expect(response.json().columns).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'total', type: 'number' },
      { name: 'when', type: 'date' },
      { name: 'extra', type: 'json' },
      { name: 'value', type: 'integer' },
    ]);
    expect(response.json().rows).toEqual([
      { id: 1, total: 9.5, when: '2024-01-02', extra: null, value: null },
      { id: 2, total: null, when: null, extra: { nested: true }, value: null },
      { id: null, total: null, when: null, extra: null, value: 7 },
    ]);
    expect((await preview('orders', { limit: 1 })).json().rows).toHaveLength(1);
  });

  it('takes the first array member of an object, or the one table names', async () => {
    expect((await preview('wrapped')).json()).toMatchObject({ table: 'wrapped', rows: [{ id: 1 }] });
    expect((await preview('wrapped', { table: 'refunds' })).json()).toMatchObject({
      table: 'refunds',
      rows: [{ id: 9, why: 'late' }],
    });
    const missing = await preview('wrapped', { table: 'meta' });
    expect(missing.statusCode).toBe(422);
    expect(missing.json<ErrorBody>().code).toBe('UNKNOWN_TABLE');
    expect((await preview('orders', { columns: ['nope'] })).json<ErrorBody>().code).toBe('UNKNOWN_COLUMN');
  });

  it('stops before 1 MiB of rows', async () => {
    const response = await preview('wide', { limit: 100 });
    expect(response.statusCode).toBe(200);
    expect(response.json().truncated).toBe(true);
    expect(response.json().rows.length).toBeGreaterThan(50);
    expect(response.json().rows.length).toBeLessThan(100);
    expect(Buffer.byteLength(JSON.stringify(response.json().rows))).toBeLessThanOrEqual(1024 * 1024);
  });
});

describe('file sources', () => {
  it('previews the first rows of a sheet (the first by default), and a csv', async () => {
    const first = await preview('book');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().table).toBe('Orders');
    expect(first.json().rows).toHaveLength(5);
    expect(first.json().rows[1]).toEqual({
      id: 2,
      customer: 'customer 2',
      paid: true,
      ordered_on: '2024-01-02T00:00:00.000Z',
    });
    expect(first.json().columns).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'customer', type: 'string' },
      { name: 'paid', type: 'boolean' },
      { name: 'ordered_on', type: 'date' },
    ]);
    const empty = await preview('book', { table: 'Empty' });
    expect(empty.json()).toMatchObject({ rows: [], columns: [{ name: 'only' }, { name: 'header' }] });
    expect((await preview('book', { table: 'Nope' })).statusCode).toBe(422);
    expect((await preview('people', { table_name: 'people', columns: ['name'] })).json().rows).toEqual([
      { name: 'Ada' },
      { name: 'Grace' },
    ]);
  });
});

describe('guards', () => {
  const asToken = (token: string, id = 'orders') =>
    request(guarded, 'POST', `/connector/profiles/${id}/preview`, {}, { authorization: `Bearer ${token}` });

  it('needs the admin scope', async () => {
    expect((await asToken(writeToken)).statusCode).toBe(403);
    expect((await request(guarded, 'POST', '/connector/profiles/orders/preview', {})).statusCode).toBe(401);
    expect(
      (
        await request(
          guarded,
          'POST',
          '/connector/profiles/orders/discover',
          {},
          { authorization: `Bearer ${writeToken}` },
        )
      ).statusCode,
    ).toBe(403);
  });

  it('refuses loopback without CONNECTOR_EGRESS_ALLOW, connecting to nothing', async () => {
    const before = connections;
    const refused = await asToken(adminToken);
    expect(refused.statusCode).toBe(424);
    expect(refused.json<ErrorBody>().code).toBe('SOURCE_BLOCKED_BY_POLICY');
    expect(connections).toBe(before);
  });
});
