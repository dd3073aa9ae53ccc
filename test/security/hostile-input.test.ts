// Regressions of what the OpenAPI fuzz found: hostile bodies get a bounded 400
// naming the field, never a 500 or a huge answer, and nothing is written.
import type { OpenDatabase } from '@analytics-engine/storage';
import { createTestDatabase } from '@analytics-engine/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedApps, type SecuredApps } from './support.js';

let database: OpenDatabase;
let apps: SecuredApps;

beforeAll(async () => {
  database = await (await createTestDatabase()).open();
  apps = await securedApps(database, {});
});
afterAll(async () => {
  await apps.close();
  await database.close();
});

const postClient = (body: unknown, headers: Record<string, string> = {}) =>
  apps.demo.inject({
    method: 'POST',
    url: '/demo/clients',
    payload: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });
const client = (id: string, extra: Record<string, unknown> = {}) => ({
  client_id: id,
  client_name: 'C',
  license_type: 'basic',
  ...extra,
});

describe('hostile input', () => {
  it('refuses a body nested deeper than 64 levels with a 400, not a stack overflow', async () => {
    // Written as text: JSON.stringify itself would overflow on it.
    const deep = `${'['.repeat(10_000)}1${']'.repeat(10_000)}`;
    const payload = JSON.stringify(client('deep', { custom_kpis: 'DEEP' })).replace('"DEEP"', deep);
    const response = await apps.demo.inject({
      method: 'POST',
      url: '/demo/clients',
      payload,
      headers: { 'content-type': 'application/json', 'idempotency-key': 'deep-1' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: 'body', message: expect.stringContaining('64 levels') as string }],
    });
  });

  it('refuses lone surrogates in a key and in a document with a 400 naming the field, writing nothing', async () => {
    const inKey = await postClient(client('c\ud800'));
    expect(inKey.statusCode).toBe(400);
    expect(inKey.json<{ details: { path: string }[] }>().details[0]?.path).toBe('body.client_id');
    const inDocument = await postClient(client('c-surrogate', { preferences: { a: '\ud800' } }));
    expect(inDocument.statusCode).toBe(400);
    expect(inDocument.json<{ details: { path: string }[] }>().details[0]?.path).toBe('body.preferences.a');
    expect((await apps.demo.inject({ method: 'GET', url: '/demo/clients/c-surrogate' })).statusCode).toBe(404);
  });

  it('refuses list bounds PostgreSQL cannot hold with a 400', async () => {
    for (const query of ['created_after=1970-01-01T00:00:00%2B16:00', 'created_before=0000-01-01T00:00:00Z']) {
      const response = await apps.demo.inject({ method: 'GET', url: `/demo/proposals?${query}` });
      expect(response.statusCode, query).toBe(400);
    }
  });

  it('bounds a validation error: 20 details at most, each clipped, however many problems the body has', async () => {
    const response = await apps.demo.inject({
      method: 'PATCH',
      url: '/demo/clients/anyone',
      payload: JSON.stringify({ modules: Array.from({ length: 60_000 }, (_, i) => i), ['x'.repeat(50_000)]: 1 }),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.body.length).toBeLessThan(16 * 1024);
    const body = response.json<{ message: string; details: unknown[] }>();
    expect(body.details).toHaveLength(20);
    expect(body.message).toMatch(/and \d+ more$/);
  });

  it('takes no Idempotency-Key on a route that does not exist', async () => {
    const headers = { 'content-type': 'application/json', 'idempotency-key': 'k-404' };
    const first = await apps.demo.inject({ method: 'POST', url: '/nowhere', payload: '{}', headers });
    expect(first.statusCode).toBe(404);
    const other = await apps.demo.inject({ method: 'POST', url: '/nowhere', payload: '{"a":1}', headers });
    expect(other.statusCode).toBe(404);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
  });
});
