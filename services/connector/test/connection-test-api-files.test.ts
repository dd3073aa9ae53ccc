// Connection tests of `api` profiles against a local HTTP(S) server and of `excel`
// profiles against .xlsx / .csv files generated here into a temporary
// CONNECTOR_FILES_DIR. 127.0.0.1/32 is allowed explicitly.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useConnectionTestApp } from './connection-test-app.js';
import { apiServer, secret, type ApiServer } from './connection-test-support.js';
import { column, columnsOf, table, type DiscoveredTableBody } from './discovery-support.js';

const workDir = mkdtempSync(join(tmpdir(), 'connector-files-'));
const filesDir = join(workDir, 'files');
let api: ApiServer;
let tls: Server;
let tlsPort: number;
const apiSecrets = { user: 'reporter', password: secret('basic'), token: secret('token') };

beforeAll(async () => {
  await mkdir(join(filesDir, 'finance'), { recursive: true });
  await writeWorkbooks();
  api = await apiServer(apiSecrets);
  // A self-signed certificate: the TLS check must refuse it.
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-days',
      '1',
      '-keyout',
      join(workDir, 'key.pem'),
      '-out',
      join(workDir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  tls = createServer(
    { key: await readFile(join(workDir, 'key.pem')), cert: await readFile(join(workDir, 'cert.pem')) },
    (_request, response) => {
      response.end('[]');
    },
  );
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
  tlsPort = (tls.address() as AddressInfo).port;
});
afterAll(async () => {
  await api.close();
  await new Promise<void>((resolve) =>
    tls.close(() => {
      resolve();
    }),
  );
  await rm(workDir, { recursive: true, force: true });
});
// Registered after the files are written, and closed before they are removed.
const suite = useConnectionTestApp({ CONNECTOR_EGRESS_ALLOW: '127.0.0.1/32', CONNECTOR_FILES_DIR: filesDir });
const { call, testUnsaved } = suite;

async function writeWorkbooks(): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const orders = workbook.addWorksheet('Orders');
  orders.addRow(['id', 'customer', 'amount', 'paid', 'ordered_on', 'note']);
  orders.addRow([1, 'Ada', 10.5, true, new Date('2024-01-02T00:00:00Z'), 'first']);
  orders.addRow([2, 'Grace', 7, false, new Date('2024-02-03T00:00:00Z'), null]);
  const customers = workbook.addWorksheet('Customers');
  customers.addRow(['name', 'since']);
  customers.addRow(['Ada', 2019]);
  workbook.addWorksheet('Empty');
  await workbook.xlsx.writeFile(join(filesDir, 'finance', 'budget.xlsx'));

  const csv = new ExcelJS.Workbook();
  const people = csv.addWorksheet('people');
  people.addRow(['id', 'name', 'score', 'active', 'joined']);
  people.addRow([1, 'Ada', 3.5, 'true', '2024-01-02']);
  people.addRow([2, '', 4, 'false', '2024-03-04']);
  await csv.csv.writeFile(join(filesDir, 'people.csv'));

  await writeFile(join(filesDir, 'broken.xlsx'), 'this is not a zip file');
  await writeFile(join(filesDir, 'notes.txt'), 'plain text');
  await writeFile(join(workDir, 'outside.csv'), 'secret_column\n42\n');
  await symlink(join(workDir, 'outside.csv'), join(filesDir, 'escape.csv'));
}

/** Stores the profile, tests it with discovery, and expects exactly `tables` to be found. */
async function expectDiscovered(
  profile: { id: string; name: string; type: string; connection_string: string },
  tables: DiscoveredTableBody[],
): Promise<LightMyRequestResponse> {
  await call('POST', '/connector/profiles', profile);
  const tested = await call('POST', `/connector/profiles/${profile.id}/test`, { discover: true });
  expect(tested.json().result).toMatchObject({
    status: 'success',
    discovery: { tables: tables.length, truncated: false },
  });
  expect(tested.json().result.schema_info.tables).toEqual(tables);
  return tested;
}

describe('api profiles', () => {
  it('tests a stored profile and infers columns from a JSON array', async () => {
    const profile = { id: 'api', name: 'Local API', type: 'api', connection_string: `${api.url}/items` };
    const tested = await expectDiscovered(profile, [
      table('items', 2, [
        column('id', 'integer', 'integer'),
        column('name', 'string', 'string'),
        column('price', 'number', 'number'),
        column('active', 'boolean', 'boolean'),
        // one of the two values has a time of day
        column('created', 'date', 'timestamp'),
        column('note', 'string', 'string', 'nullable'),
      ]),
    ]);
    expect(tested.json().profile).toMatchObject({
      test_status: 'success',
      schema_info: tested.json().result.schema_info,
    });
  });

  it('finds the array inside a wrapping object', async () => {
    const response = await testUnsaved({ type: 'api', connection_string: `${api.url}/wrapped`, discover: true });
    expect(columnsOf(response.json().result.schema_info, 'wrapped')).toHaveLength(6);
  });

  it('sends Basic for username + password and Bearer for a password alone', async () => {
    const basic = await testUnsaved({
      type: 'api',
      connection_string: `${api.url}/secure`,
      credentials: { username: apiSecrets.user, password: apiSecrets.password },
    });
    expect(basic.json().result.status).toBe('success');
    const bearer = await testUnsaved({
      type: 'api',
      connection_string: `${api.url}/secure`,
      credentials: { password: apiSecrets.token },
    });
    expect(bearer.json().result.status).toBe('success');
    expect(api.authorizations.at(-1)).toBe(`Bearer ${apiSecrets.token}`);
    const inUrl = await testUnsaved({
      type: 'api',
      connection_string: `http://${apiSecrets.user}:${apiSecrets.password}@127.0.0.1:${api.port}/secure`,
    });
    expect(inUrl.json().result.status).toBe('success');
  });

  it('gives auth_failed on 401, not_found on 404', async () => {
    const wrong = secret('wrong');
    const denied = await testUnsaved({
      type: 'api',
      connection_string: `${api.url}/secure`,
      credentials: { username: apiSecrets.user, password: wrong },
    });
    expect(denied.json().result).toMatchObject({
      status: 'failed',
      error: { code: 'auth_failed', message: expect.stringContaining('401') },
    });
    expect(denied.body).not.toContain(wrong);
    const missing = await testUnsaved({ type: 'api', connection_string: `${api.url}/nothing-here` });
    expect(missing.json().result).toMatchObject({ status: 'failed', error: { code: 'not_found' } });
  });

  it('gives timeout within the deadline for a server that never answers', async () => {
    const started = Date.now();
    const response = await testUnsaved({ type: 'api', connection_string: `${api.url}/slow`, timeout_ms: 800 });
    expect(response.json().result).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
    expect(response.json().result.latency_ms).toBeLessThan(10_000);
    expect(Date.now() - started).toBeLessThan(10_000); // far below a hang, well above load jitter
  });

  it('gives tls for a self-signed certificate and unreachable for a closed port', async () => {
    const selfSigned = await testUnsaved({ type: 'api', connection_string: `https://127.0.0.1:${tlsPort}/` });
    expect(selfSigned.json().result).toMatchObject({ status: 'failed', error: { code: 'tls' } });
    await api.close();
    const closed = await testUnsaved({ type: 'api', connection_string: `${api.url}/items` });
    expect(closed.json().result).toMatchObject({ status: 'failed', error: { code: 'unreachable' } });
    api = await apiServer(apiSecrets);
  });

  it('gives invalid_config for a bad URL or a body discovery cannot read', async () => {
    for (const connection_string of ['not a url', 'ftp://127.0.0.1/x']) {
      const response = await testUnsaved({ type: 'api', connection_string });
      expect(response.json().result.error.code).toBe('invalid_config');
    }
    const notJson = await testUnsaved({ type: 'api', connection_string: `${api.url}/not-json`, discover: true });
    expect(notJson.json().result.error.code).toBe('invalid_config');
  });

  it('saves nothing for an unsaved test', async () => {
    const before = (await call('GET', '/connector/profiles')).json().items.length;
    const response = await testUnsaved({
      id: 'never-stored',
      type: 'api',
      connection_string: `${api.url}/items`,
      discover: true,
    });
    expect(response.json().result.status).toBe('success');
    expect(response.json().profile).toBeUndefined();
    expect((await call('GET', '/connector/profiles/never-stored')).statusCode).toBe(404);
    expect((await call('GET', '/connector/profiles')).json().items.length).toBe(before);
  });

  it('does not record a result on settings that changed while the test ran', async () => {
    await call('POST', '/connector/profiles', {
      id: 'moving',
      name: 'Moving',
      type: 'api',
      connection_string: `${api.url}/slow`,
    });
    const running = call('POST', '/connector/profiles/moving/test', { timeout_ms: 1_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const patched = await call('PATCH', '/connector/profiles/moving', { connection_string: `${api.url}/items` });
    expect(patched.statusCode).toBe(200);
    const tested = (await running).json();
    expect(tested).toMatchObject({ saved: false, result: { status: 'failed', error: { code: 'timeout' } } });
    expect(tested.profile.test_status).toBeUndefined();
    expect(tested.profile.connection_string).toBe(`${api.url}/items`);
  });
});

describe('excel profiles', () => {
  it('tests an .xlsx file: sheets become tables, header cells columns, with inferred types', async () => {
    const profile = { id: 'xlsx', name: 'Budget', type: 'excel', connection_string: 'finance/budget.xlsx' };
    const tested = await expectDiscovered(profile, [
      table('Orders', 2, [
        column('id', 'integer', 'integer'),
        column('customer', 'string', 'string'),
        column('amount', 'number', 'number'),
        column('paid', 'boolean', 'boolean'),
        column('ordered_on', 'date', 'date'),
        column('note', 'string', 'string', 'nullable'),
      ]),
      table('Customers', 1, [column('name', 'string', 'string'), column('since', 'integer', 'integer')]),
      table('Empty', 0, []),
    ]);
    const read = await call('GET', '/connector/profiles/xlsx');
    expect(read.json()).toMatchObject({ test_status: 'success', schema_info: tested.json().result.schema_info });
    expect(read.json().last_tested).toBe(tested.json().result.tested_at);

    const limited = await testUnsaved({
      type: 'excel',
      connection_string: 'finance/budget.xlsx',
      discover: true,
      max_tables: 1,
    });
    expect(limited.json().result).toMatchObject({
      discovery: { tables: 1, truncated: true },
      schema_info: { tables: [{ name: 'Orders' }] },
    });
  });

  it('tests a .csv file as one table named after it', async () => {
    const response = await testUnsaved({ type: 'excel', connection_string: 'people.csv', discover: true });
    expect(response.json().result.schema_info.tables).toEqual([
      table('people', 2, [
        column('id', 'integer', 'integer'),
        column('name', 'string', 'string', 'nullable'),
        column('score', 'number', 'number'),
        column('active', 'boolean', 'boolean'),
        column('joined', 'date', 'date'),
      ]),
    ]);
  });

  it('refuses paths that escape CONNECTOR_FILES_DIR, and reports missing or unreadable files', async () => {
    const cases: [string, string][] = [
      ['../outside.csv', 'invalid_config'],
      ['finance/../../outside.csv', 'invalid_config'],
      [join(workDir, 'outside.csv'), 'invalid_config'],
      ['escape.csv', 'invalid_config'],
      ['missing.xlsx', 'not_found'],
      ['finance/missing.csv', 'not_found'],
      ['notes.txt', 'invalid_config'],
      ['broken.xlsx', 'invalid_config'],
      ['', 'invalid_config'],
    ];
    for (const [connection_string, code] of cases) {
      const response = await testUnsaved({ type: 'excel', connection_string, discover: true });
      expect(response.json().result, connection_string).toMatchObject({ status: 'failed', error: { code } });
      expect(response.body).not.toContain('secret_column');
    }
  });
});

it('logs one line per test and never a secret', () => {
  const lines = suite.sink.lines.filter((line) => line.includes('connection test of'));
  expect(lines.length).toBeGreaterThanOrEqual(20);
  for (const line of lines)
    expect(JSON.parse(line)).toMatchObject({
      level: 30,
      type: expect.any(String),
      outcome: expect.any(String),
      latencyMs: expect.any(Number),
    });
  const base64Basic = Buffer.from(`${apiSecrets.user}:${apiSecrets.password}`).toString('base64');
  suite.expectNoSecret([apiSecrets.password, apiSecrets.token, base64Basic]);
});
