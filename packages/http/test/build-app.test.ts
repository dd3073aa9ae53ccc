// The shared wiring, through a minimal service over a real database: one error
// shape for every failure, validation naming the field, content-type and size
// limits, ETag/If-Match, health and readiness, OpenAPI.
import {
  createClientConfigRepository,
  clientConfigSchema,
  databaseConfigFromEnv,
  HEAD,
  keySchema,
  openDatabase,
  type OpenDatabase,
} from '@analytics-engine/storage';
import { createTestDatabase } from '@analytics-engine/storage/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ifMatchVersion, setEtag, type ServiceDefinition, type ZodTypeProvider } from '../src/index.js';
import { testApp } from './support/testing.js';

const probe: ServiceDefinition = {
  name: 'probe',
  title: 'Probe Service',
  description: 'exercises the shared wiring',
  version: '0.0.0',
  defaultPort: 0,
  portVariable: 'PROBE_PORT',
  setup: (context) => ({
    register: (app) => {
      probeRoutes(app, context.database);
    },
  }),
};

function probeRoutes(app: FastifyInstance, database: OpenDatabase): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.post(
    '/things/:id',
    { schema: { params: z.object({ id: keySchema }), body: clientConfigSchema } },
    async (request, reply) => {
      const stored = await createClientConfigRepository(database.db).create(request.params.id, request.body);
      setEtag(reply, stored.version);
      return reply.status(201).send({ id: stored.key });
    },
  );
  routes.patch(
    '/things/:id',
    { schema: { params: z.object({ id: keySchema }), body: clientConfigSchema.partial() } },
    async (request, reply) => {
      const stored = await createClientConfigRepository(database.db).merge(request.params.id, request.body, {
        ifVersion: ifMatchVersion(request),
      });
      setEtag(reply, stored.version);
      return { id: stored.key };
    },
  );
  routes.get('/boom', () => {
    throw new Error('secret internals');
  });
}

let database: OpenDatabase;
let app: FastifyInstance;
beforeAll(async () => {
  database = await (await createTestDatabase()).open();
  app = await testApp(probe, database, {}, { bodyLimit: 2048 });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const valid = { client_name: 'Test Corporation', license_type: 'professional', modules: ['SCOR'] };
const post = (id: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: `/things/${id}`,
    payload: payload as string,
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('shared wiring', () => {
  it('names the field and the reason of a validation error', async () => {
    const response = await post('v1', { ...valid, license_type: 'gold' });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED' });
    expect(body.details[0].path).toBe('body.license_type');
    expect(body.message).toMatch(/^body\.license_type: /);
    expect(body.requestId).toBe(response.headers['x-request-id']);
  });

  it('answers 400 for malformed JSON, 415 for another content type, 413 for a large body', async () => {
    const malformed = await post('m1', '{"client_name": ');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('MALFORMED_JSON');
    const text = await app.inject({
      method: 'POST',
      url: '/things/t1',
      payload: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const large = await post('l1', { ...valid, modules: Array.from({ length: 500 }, (_, i) => `m${i}`) });
    expect(large.statusCode).toBe(413);
    expect(large.json().code).toBe('BODY_TOO_LARGE');
  });

  it('answers 400 for an over-long id and for \\u0000, never 500', async () => {
    const long = await post('x'.repeat(256), valid);
    expect(long.statusCode).toBe(400);
    expect(long.json().details[0].path).toBe('params.id');
    const nul = await post('n1', { ...valid, client_name: 'a\u0000b' });
    expect(nul.statusCode).toBe(400);
    expect(nul.json().details[0].path).toBe('body.client_name');
  });

  it('maps storage errors: 409 on a taken key, 404 on a missing one, 412 on a stale ETag', async () => {
    const created = await post('e1', valid);
    expect(created.statusCode).toBe(201);
    const etag = created.headers.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect((await post('e1', valid)).statusCode).toBe(409);

    const patch = (id: string, headers: Record<string, string>) =>
      app.inject({ method: 'PATCH', url: `/things/${id}`, payload: { client_name: 'New' }, headers });
    expect((await patch('nope', {})).statusCode).toBe(404);
    const first = await patch('e1', { 'if-match': etag });
    expect(first.statusCode).toBe(200);
    const stale = await patch('e1', { 'if-match': etag });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().code).toBe('PRECONDITION_FAILED');
    expect((await patch('e1', { 'if-match': 'W/"abc"' })).statusCode).toBe(412);
    expect((await patch('e1', { 'if-match': '*' })).statusCode).toBe(200);
  });

  it('hides an unexpected error behind a generic 500', async () => {
    const response = await app.inject('/boom');
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret internals');
    expect(response.json()).toMatchObject({ code: 'INTERNAL_ERROR', requestId: response.headers['x-request-id'] });
  });

  it('answers an unknown route with the same error shape', async () => {
    const response = await app.inject('/nowhere');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
  });

  it('serves health, readiness, the OpenAPI document and Swagger UI', async () => {
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ready',
      database: 'postgres',
      revision: HEAD,
    });
    const spec = (await app.inject('/docs/json')).json();
    expect(spec.info.title).toBe('Probe Service');
    expect(Object.keys(spec.paths)).toContain('/things/{id}');
    const ui = await app.inject('/docs/');
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });

  it('is not ready while migrations are pending', async () => {
    const empty = await (await createTestDatabase({ migrated: false })).open();
    const unmigrated = await testApp(probe, empty);
    try {
      const ready = await unmigrated.inject('/ready');
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({
        status: 'unavailable',
        revision: null,
        reason: expect.stringContaining('pending migrations: 20251221_062048'),
      });
    } finally {
      await unmigrated.close();
      await empty.close();
    }
  });

  it('answers 503 with Retry-After, not 500, while the database cannot be reached', async () => {
    const config = databaseConfigFromEnv({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere',
      DATABASE_CONNECT_TIMEOUT_MS: '500',
    });
    const unreachable = await openDatabase(config);
    const offline = await testApp(probe, unreachable);
    try {
      const ready = await offline.inject('/ready');
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ status: 'unavailable', reason: 'the database is unreachable' });
      const write = await offline.inject({ method: 'POST', url: '/things/t1', payload: valid });
      expect(write.statusCode).toBe(503);
      expect(write.headers['retry-after']).toBe('5');
      expect(write.json()).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
      expect((await offline.inject('/health')).statusCode).toBe(200);
    } finally {
      await offline.close();
      await unreachable.close();
    }
  });
});
