// Every route of /connector/profiles and every error path, over real PostgreSQL.
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { request, useTestApp } from '@analytics-engine/http/testing';
import { guideProfileResponse } from '../src/profile-schemas.js';
import { connectorService } from '../src/service.js';
import { guideBody, keyEntry, persistBody, type ErrorBody, type PageBody } from './support.js';

const connector = useTestApp(connectorService, { CONNECTOR_ENCRYPTION_KEYS: keyEntry('k1') });

type Headers = Record<string, string>;
const item = (id: string) => `/connector/profiles/${encodeURIComponent(id)}`;
const post = (payload: unknown, headers: Headers = {}) =>
  request(connector.app, 'POST', '/connector/profiles', payload, headers);
const get = (id: string) => connector.app.inject(item(id));
const patch = (id: string, payload: unknown, headers: Headers = {}) =>
  request(connector.app, 'PATCH', item(id), payload, headers);
const put = (id: string, payload: unknown, headers: Headers = {}) =>
  request(connector.app, 'PUT', item(id), payload, headers);
const del = (id: string, headers: Headers = {}) => request(connector.app, 'DELETE', item(id), undefined, headers);

const profile = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  name: `Profile ${id}`,
  type: 'api',
  ...extra,
});

/** The response has `status` and a JSON body holding `expected`. */
function expectAnswer(response: LightMyRequestResponse, status: number, expected: Record<string, unknown>): void {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.json()).toMatchObject(expected);
}

/** Creates profile `id` holding both secrets (user u) and a test result. */
const postWithSecrets = (id: string, connection_string: string, password: string, test_status: string) =>
  post(profile(id, { connection_string, credentials: { username: 'u', password }, test_status }));

describe("the guide's curl calls", () => {
  it('creates, reads and lists the test connection exactly as the guide writes it', async () => {
    const created = await post(guideBody);
    expect(created.statusCode).toBe(201);
    expect(created.headers.location).toBe('/connector/profiles/test-sql-connection');
    expect(created.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
    // Exactly what the OpenAPI example shows, but for the timestamps.
    const { created_at, updated_at, ...expected } = guideProfileResponse;
    expect(created.json()).toMatchObject(expected);
    expect(created.json().created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(created.json().updated_at).toBe(created.json().created_at);
    expect(created.body).not.toContain('testpass');

    const read = await get('test-sql-connection');
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(created.json());
    expect(read.headers.etag).toBe(created.headers.etag);

    const list = await connector.app.inject('/connector/profiles');
    expect(list.statusCode).toBe(200);
    expect(list.json<PageBody>().items.map((p) => p.id)).toContain('test-sql-connection');
    expect(list.json()).toHaveProperty('next_cursor');
    expect(list.body).not.toContain('testpass');
  });

  it('creates and reads the persistence-test profile', async () => {
    const created = await post(persistBody);
    expect(created.statusCode).toBe(201);
    const read = await get('persist-test');
    expect(read.json()).toMatchObject({
      id: 'persist-test',
      name: 'Persistence Test',
      type: 'sql',
      secrets: { connection_string: 'not_set', password: 'not_set' },
    });
    expect(read.json()).not.toHaveProperty('credentials');
    expect(read.json()).not.toHaveProperty('connection_string');
  });
});

describe('POST /connector/profiles', () => {
  it('stores every document field and answers 409 for a taken id', async () => {
    const body = profile('full', {
      type: 'excel',
      schema_info: { tables: ['a', 'b'], columns: { a: ['x'] } },
      test_status: 'success',
      last_tested: '2025-12-21T06:20:48Z',
    });
    const created = await post(body);
    expectAnswer(created, 201, {
      schema_info: body.schema_info,
      test_status: 'success',
      last_tested: '2025-12-21T06:20:48Z',
    });
    const again = await post(body);
    expectAnswer(again, 409, {
      statusCode: 409,
      code: 'ALREADY_EXISTS',
      requestId: again.headers['x-request-id'],
    });
  });

  it('redacts credentials inside the connection string and keeps the rest', async () => {
    const created = await post(
      profile('redact', { connection_string: 'postgres://app:s3cret@db.example:5432/sales?sslmode=require' }),
    );
    expect(created.json().connection_string).toBe('postgres://app:***@db.example:5432/sales?sslmode=require');
    const ado = await post(
      profile('redact-ado', { connection_string: 'Server=db;Database=x;User Id=sa;PASSWORD=Hunter2!;Encrypt=true' }),
    );
    expect(ado.json().connection_string).toBe('Server=db;Database=x;User Id=sa;PASSWORD=***;Encrypt=true');
    expect(ado.body).not.toContain('Hunter2');
  });

  it('answers 400 naming the field and the reason', async () => {
    const cases: [unknown, string][] = [
      [{ ...profile('v1'), type: 'ftp' }, 'body.type'],
      [{ type: 'sql', id: 'v2' }, 'body.name'],
      [{ ...profile('v3'), name: '' }, 'body.name'],
      [{ ...profile('v4'), credentials: { username: 'u', pass: 'x' } }, 'body.credentials'],
      [{ ...profile('v5'), last_tested: 'yesterday' }, 'body.last_tested'],
      [{ ...profile('v6'), extra: 1 }, 'body'],
      [{ name: 'no id', type: 'sql' }, 'body.id'],
      [{ ...profile('x'.repeat(256)) }, 'body.id'],
      [{ ...profile('') }, 'body.id'],
    ];
    for (const [body, path] of cases) {
      const response = await post(body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      const error = response.json<ErrorBody>();
      expect(error).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED' });
      expect(error.details.map((d) => d.path)).toContain(path);
      expect(error.message).toContain(path);
    }
  });

  it('answers 400 for \\u0000 anywhere, secrets and ids included, never 500', async () => {
    const cases: [unknown, string][] = [
      [profile('nul\u0000id'), 'body.id'],
      [profile('nul1', { name: 'a\u0000b' }), 'body.name'],
      [profile('nul2', { connection_string: 'Server=a\u0000;' }), 'body.connection_string'],
      [profile('nul3', { credentials: { password: 'p\u0000w' } }), 'body.credentials.password'],
      [profile('nul4', { schema_info: { columns: { 'a\u0000': 1 } } }), 'body.schema_info.columns.a\u0000'],
    ];
    for (const [body, path] of cases) {
      const response = await post(body);
      expect(response.statusCode).toBe(400);
      expect(response.json().details[0].path).toBe(path);
    }
    expect((await get('nul\u0000id')).statusCode).toBe(400);
  });

  it('never echoes a secret in a validation error', async () => {
    const long = 'TooLongSecret'.repeat(200);
    const responses = await Promise.all([
      post(profile('e1', { credentials: { password: long } })),
      post(profile('e2', { connection_string: long })),
      post(profile('e3', { credentials: { password: 12345678 } })),
      post(profile('e4', { connection_string: ['Password=ArraySecret'] })),
      post(profile('e5', { credentials: 'Password=StringSecret' })),
      post(`{"id": "e6", "name": "x", "type": "sql", "connection_string": "Password=BrokenJsonSecret"`),
    ]);
    for (const response of responses) {
      expect(response.statusCode).toBe(400);
      for (const secret of ['TooLongSecret', '12345678', 'ArraySecret', 'StringSecret', 'BrokenJsonSecret']) {
        expect(response.body).not.toContain(secret);
      }
    }
    expect(responses[0].json<ErrorBody>().details[0]).toEqual({
      path: 'body.credentials.password',
      message: expect.stringContaining('2048'),
    });
  });

  it('answers 400 for malformed JSON, 415 for text/plain, 413 over the body limit', async () => {
    const malformed = await post('{"id": "m1", "name": ');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('MALFORMED_JSON');
    const empty = await post('');
    expect(empty.statusCode).toBe(400);
    const text = await post('id=t1', { 'content-type': 'text/plain' });
    expectAnswer(text, 415, { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    const form = await patch('full', 'a=b', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.statusCode).toBe(415);
    const large = await post(profile('big', { schema_info: { tables: ['x'.repeat(1024 * 1024)] } }));
    expectAnswer(large, 413, { statusCode: 413, code: 'BODY_TOO_LARGE' });
  });
});

describe('GET /connector/profiles/:id', () => {
  it('answers 404 for a missing profile and 400 for an id of 256 characters', async () => {
    const missing = await get('nope');
    expectAnswer(missing, 404, {
      statusCode: 404,
      code: 'NOT_FOUND',
      message: "profile 'nope' does not exist",
    });
    const long = await get('x'.repeat(256));
    expect(long.statusCode).toBe(400);
    expect(long.json().details[0].path).toBe('params.id');
    expect((await get('x'.repeat(255))).statusCode).toBe(404);
  });

  it('reads ids with characters that need encoding', async () => {
    const id = 'a b/c?d#é';
    const created = await post(profile(id));
    expect(created.statusCode).toBe(201);
    expect(created.headers.location).toBe(`/connector/profiles/${encodeURIComponent(id)}`);
    expect((await connector.app.inject(created.headers.location!)).json().id).toBe(id);
  });
});

describe('PATCH /connector/profiles/:id', () => {
  it('keeps absent fields, clears null ones and replaces given ones, secrets included', async () => {
    await postWithSecrets('p1', 'Server=a;Password=one;', 'pw1', 'failed');
    const renamed = await patch('p1', { name: 'Renamed' });
    expectAnswer(renamed, 200, {
      name: 'Renamed',
      type: 'api',
      connection_string: 'Server=a;Password=***;',
      credentials: { username: 'u', password_set: true },
      test_status: 'failed',
      secrets: { connection_string: 'set', password: 'set' },
    });
    expect(renamed.json().updated_at > renamed.json().created_at).toBe(true);

    const cleared = await patch('p1', { credentials: { password: null }, test_status: null });
    expect(cleared.json()).toMatchObject({
      credentials: { username: 'u', password_set: false },
      secrets: { password: 'not_set', connection_string: 'set' },
    });
    expect(cleared.json()).not.toHaveProperty('test_status');

    const replaced = await patch('p1', { connection_string: 'Server=b;Pwd=two;', credentials: { password: 'pw2' } });
    expect(replaced.json()).toMatchObject({
      connection_string: 'Server=b;Pwd=***;',
      credentials: { username: 'u', password_set: true },
    });

    const noConnection = await patch('p1', { connection_string: null, credentials: null });
    expect(noConnection.json()).not.toHaveProperty('connection_string');
    expect(noConnection.json()).not.toHaveProperty('credentials');
    expect(noConnection.json().secrets).toEqual({ connection_string: 'not_set', password: 'not_set' });
    expect(noConnection.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it('merges schema_info member by member', async () => {
    await post(profile('p2', { schema_info: { tables: ['t'], columns: { t: ['a'], u: ['b'] } } }));
    const response = await patch('p2', { schema_info: { columns: { u: null, v: ['c'] } } });
    expect(response.json().schema_info).toEqual({ tables: ['t'], columns: { t: ['a'], v: ['c'] } });
  });

  it(
    'answers 400 for a required field set to null, an unknown field or another id; 404 for a missing ' + 'profile',
    async () => {
      await post(profile('p3'));
      const nullName = await patch('p3', { name: null });
      expect(nullName.statusCode).toBe(400);
      expect(nullName.json().details[0].path).toBe('body.name');
      expect((await patch('p3', { colour: 'red' })).statusCode).toBe(400);
      const otherId = await patch('p3', { id: 'p4', name: 'x' });
      expect(otherId.statusCode).toBe(400);
      expect(otherId.json().details[0].path).toBe('body.id');
      expect((await patch('p3', { id: 'p3', name: 'same id' })).statusCode).toBe(200);
      expect((await patch('missing', { name: 'x' })).statusCode).toBe(404);
      expect((await patch('p3', { name: 'x\u0000' })).statusCode).toBe(400);
    },
  );
});

describe('PUT /connector/profiles/:id', () => {
  it('replaces the whole profile: left-out fields and secrets are removed', async () => {
    await postWithSecrets('r1', 'Server=a;', 'pw', 'success');
    const replaced = await put('r1', { name: 'Replaced', type: 'sql', credentials: { username: 'v' } });
    expectAnswer(replaced, 200, {
      id: 'r1',
      name: 'Replaced',
      type: 'sql',
      credentials: { username: 'v', password_set: false },
    });
    expect(replaced.json()).not.toHaveProperty('connection_string');
    expect(replaced.json()).not.toHaveProperty('test_status');
    const withId = await put('r1', { id: 'r1', name: 'With id', type: 'sql', connection_string: 'Server=z;' });
    expect(withId.json()).toMatchObject({
      name: 'With id',
      connection_string: 'Server=z;',
      secrets: { connection_string: 'set' },
    });
  });

  it('answers 400 for an invalid body or another id, 404 for a missing profile', async () => {
    expect((await put('r1', { name: 'No type' })).statusCode).toBe(400);
    expect((await put('r1', { id: 'r2', name: 'x', type: 'sql' })).json().details[0].path).toBe('body.id');
    expect((await put('missing', { name: 'x', type: 'sql' })).statusCode).toBe(404);
    expect((await put('x'.repeat(256), { name: 'x', type: 'sql' })).statusCode).toBe(400);
  });
});

describe('DELETE /connector/profiles/:id', () => {
  it('answers 204 and then 404', async () => {
    await post(profile('d1'));
    const deleted = await del('d1');
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect((await get('d1')).statusCode).toBe(404);
    expect((await del('d1')).statusCode).toBe(404);
  });
});

describe('ETag and If-Match', () => {
  it('answers 412 for a stale or malformed If-Match on PATCH, PUT and DELETE', async () => {
    const created = await post(profile('c1'));
    const first = created.headers.etag as string;
    const changed = await patch('c1', { name: 'Changed' }, { 'if-match': first });
    expect(changed.statusCode).toBe(200);
    const second = changed.headers.etag as string;
    expect(second).not.toBe(first);

    for (const response of [
      await patch('c1', { name: 'Stale' }, { 'if-match': first }),
      await put('c1', { name: 'Stale', type: 'sql' }, { 'if-match': first }),
      await del('c1', { 'if-match': first }),
      await patch('c1', { name: 'Weak' }, { 'if-match': `W/${second}` }),
    ]) {
      expectAnswer(response, 412, { statusCode: 412, code: 'PRECONDITION_FAILED' });
    }
    expect((await get('c1')).json().name).toBe('Changed');

    const replaced = await put('c1', { name: 'Current', type: 'sql' }, { 'if-match': second });
    expect(replaced.statusCode).toBe(200);
    expect((await patch('c1', { name: 'Any' }, { 'if-match': '*' })).statusCode).toBe(200);
    expect((await del('c1', { 'if-match': (await get('c1')).headers.etag as string })).statusCode).toBe(204);
  });

  it('lets exactly one of two racing PATCHes with the same If-Match win', async () => {
    const etag = (await post(profile('race'))).headers.etag as string;
    const results = await Promise.all([
      patch('race', { name: 'Editor A', credentials: { password: 'a' } }, { 'if-match': etag }),
      patch('race', { name: 'Editor B', credentials: { password: 'b' } }, { 'if-match': etag }),
    ]);
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 412]);
    const winner = results.find((r) => r.statusCode === 200)!;
    const current = await get('race');
    expect(current.json().name).toBe(winner.json().name);
    expect(current.headers.etag).toBe(winner.headers.etag);
  });
});

describe('OpenAPI', () => {
  it('documents every route with its schemas and examples, and serves Swagger UI', async () => {
    const spec = (await connector.app.inject('/docs/json')).json();
    expect(spec.info.title).toBe('Connector Service');
    const collection = spec.paths['/connector/profiles'];
    const item = spec.paths['/connector/profiles/{id}'];
    expect(Object.keys(collection)).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(item)).toEqual(expect.arrayContaining(['get', 'patch', 'put', 'delete']));
    const createBody = collection.post.requestBody.content['application/json'];
    expect(createBody.schema.required).toEqual(expect.arrayContaining(['id', 'name', 'type']));
    expect(createBody.example).toMatchObject({ id: 'test-sql-connection', type: 'sql' });
    expect(item.patch.requestBody.content['application/json'].examples.example1.value).toBeDefined();
    expect(Object.keys(collection.post.responses)).toEqual(expect.arrayContaining(['201', '400', '409', '413', '415']));
    const names = (parameters: { name: string }[]) => parameters.map((p) => p.name);
    expect(names(collection.get.parameters)).toEqual(
      expect.arrayContaining(['limit', 'cursor', 'type', 'test_status', 'created_after', 'created_before']),
    );
    expect(names(item.patch.parameters)).toEqual(expect.arrayContaining(['id', 'if-match']));
    expect(item.get.responses['200'].content['application/json'].schema.properties).not.toHaveProperty('password');
    const ui = await connector.app.inject('/docs/');
    expect(ui.statusCode).toBe(200);
  });

  it('serves health and readiness', async () => {
    expect((await connector.app.inject('/health')).json()).toEqual({ status: 'ok' });
    expect((await connector.app.inject('/ready')).json()).toMatchObject({ status: 'ready' });
  });
});
