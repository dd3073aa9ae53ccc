// API keys and scopes: no key or a wrong one is a 401, a narrow scope a 403,
// neither writes anything, failed attempts are logged without the token, and
// health, readiness and the docs stay open.
import type { OpenDatabase } from '@analytics-engine/storage';
import { createTestDatabase } from '@analytics-engine/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, securedApps, type SecuredApps } from './support.js';

const read = apiKey('read');
const write = apiKey('write');
const admin = apiKey('admin');
let database: OpenDatabase;
let apps: SecuredApps;

beforeAll(async () => {
  database = await (await createTestDatabase()).open();
  apps = await securedApps(database, { API_KEYS: [read.entry, write.entry, admin.entry].join(',') });
});
afterAll(async () => {
  await apps.close();
  await database.close();
});

const client = (id: string) => ({
  client_id: id,
  client_name: `Client ${id}`,
  license_type: 'professional',
  modules: ['SCOR'],
});
const post = (url: string, body: unknown, headers: Record<string, string>) =>
  apps.demo.inject({
    method: 'POST',
    url,
    payload: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('access control', () => {
  it('refuses a request without a key with 401, a challenge and the error body', async () => {
    const response = await apps.demo.inject({ method: 'GET', url: '/demo/clients' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(response.json()).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
  });

  it('refuses an unknown token and a non-bearer header alike, logging neither token', async () => {
    const guessed = 'x'.repeat(40);
    for (const authorization of [`Bearer ${guessed}`, `Basic ${Buffer.from(`user:${guessed}`).toString('base64')}`]) {
      const response = await apps.demo.inject({ method: 'GET', url: '/demo/clients', headers: { authorization } });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'UNAUTHENTICATED', message: 'the API key is not valid' });
    }
    const log = apps.logLines.join('\n');
    expect(log).toContain('"event":"auth_failed"');
    expect(log).not.toContain(guessed);
    expect(log).not.toContain(Buffer.from(`user:${guessed}`).toString('base64'));
  });

  it('keeps health, readiness and the docs open', async () => {
    for (const url of ['/health', '/ready', '/docs/json', '/docs']) {
      const response = await apps.connector.inject({ method: 'GET', url });
      expect([200, 302], url).toContain(response.statusCode);
    }
  });

  it('lets a read key read, and refuses it a write without writing', async () => {
    expect((await apps.demo.inject({ method: 'GET', url: '/demo/clients', headers: read.auth })).statusCode).toBe(200);
    const refused = await post('/demo/clients', client('read-only'), read.auth);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({
      code: 'FORBIDDEN',
      message: 'this operation needs the write scope; the API key presented has read',
    });
    expect(
      (await apps.demo.inject({ method: 'GET', url: '/demo/clients/read-only', headers: admin.auth })).statusCode,
    ).toBe(404);
  });

  it('lets a write key create and change, and keeps deletes for admin', async () => {
    expect((await post('/demo/clients', client('written'), write.auth)).statusCode).toBe(201);
    const patched = await apps.demo.inject({
      method: 'PATCH',
      url: '/demo/clients/written',
      payload: JSON.stringify({ client_name: 'Renamed' }),
      headers: { 'content-type': 'application/json', ...write.auth },
    });
    expect(patched.statusCode).toBe(200);
    const refused = await apps.demo.inject({ method: 'DELETE', url: '/demo/clients/written', headers: write.auth });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({
      message: 'this operation needs the admin scope; the API key presented has write',
    });
    expect(
      (await apps.demo.inject({ method: 'GET', url: '/demo/clients/written', headers: read.auth })).statusCode,
    ).toBe(200);
    expect(
      (await apps.demo.inject({ method: 'DELETE', url: '/demo/clients/written', headers: admin.auth })).statusCode,
    ).toBe(204);
  });

  it('keeps secrets and connection tests for admin on the Connector', async () => {
    const withSecret = {
      id: 'secret-profile',
      name: 'S',
      type: 'sql',
      credentials: { username: 'u', password: 'p4ssw0rd' },
    };
    const injectProfile = (
      url: string,
      body: unknown,
      headers: Record<string, string>,
      method: 'POST' | 'PATCH' = 'POST',
    ) =>
      apps.connector.inject({
        method,
        url,
        payload: JSON.stringify(body),
        headers: { 'content-type': 'application/json', ...headers },
      });

    const refused = await injectProfile('/connector/profiles', withSecret, write.auth);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({
      message: 'this operation needs the admin scope; the API key presented has write',
    });
    expect(
      (await apps.connector.inject({ method: 'GET', url: '/connector/profiles/secret-profile', headers: read.auth }))
        .statusCode,
    ).toBe(404);

    expect(
      (await injectProfile('/connector/profiles', { id: 'plain-profile', name: 'P', type: 'sql' }, write.auth))
        .statusCode,
    ).toBe(201);
    expect(
      (await injectProfile('/connector/profiles/plain-profile', { connection_string: null }, write.auth, 'PATCH'))
        .statusCode,
    ).toBe(403);
    expect(
      (await injectProfile('/connector/profiles/plain-profile', { name: 'Q' }, write.auth, 'PATCH')).statusCode,
    ).toBe(200);
    expect((await injectProfile('/connector/profiles/plain-profile/test', {}, write.auth)).statusCode).toBe(403);
    expect((await injectProfile('/connector/profiles/test', { type: 'sql' }, write.auth)).statusCode).toBe(403);
    expect((await injectProfile('/connector/profiles', withSecret, admin.auth)).statusCode).toBe(201);
  });

  it('answers an unknown route without a key with 401, not a map of the routes', async () => {
    expect((await apps.demo.inject({ method: 'GET', url: '/admin/secret' })).statusCode).toBe(401);
  });
});
