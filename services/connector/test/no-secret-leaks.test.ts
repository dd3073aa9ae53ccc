// One run through every route and error path with a trace-level logger writing to
// memory: no response body or header, and no log line, may contain a secret or
// key material.
import { randomBytes } from 'node:crypto';
import type { OpenDatabase } from '@analytics-engine/storage';
import { createTestDatabase } from '@analytics-engine/storage/testing';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testApp, logSink } from '@analytics-engine/http/testing';
import { connectorService } from '../src/service.js';
import { keyEntry } from './support.js';

let database: OpenDatabase;
beforeAll(async () => {
  database = await (await createTestDatabase()).open();
});
afterAll(async () => {
  await database.close();
});

it('never lets a secret reach a response or a log line', async () => {
  const tag = randomBytes(4).toString('hex');
  const secrets = {
    password: `pw-${tag}-one`,
    newPassword: `pw-${tag}-two`,
    urlPassword: `url-${tag}-pass`,
    adoPassword: `ado-${tag}-pass`,
    libpqPassword: `libpq-${tag}-pass`,
    putPassword: `put-${tag}-pass`,
  };
  const keys = `${keyEntry('current')},${keyEntry('old')}`;
  const keyMaterial = keys.split(',').map((entry) => entry.split(':')[1]!);
  const sink = logSink();
  const app = await testApp(connectorService, database, { CONNECTOR_ENCRYPTION_KEYS: keys }, { logger: sink.logger });

  const responses: LightMyRequestResponse[] = [];
  const call = async (options: InjectOptions) => {
    const response = await app.inject(options);
    responses.push(response);
    return response;
  };
  const json = { 'content-type': 'application/json' };
  const base = '/connector/profiles';

  const created = await call({
    method: 'POST',
    url: base,
    headers: json,
    payload: {
      id: 'leak',
      name: 'Leak check',
      type: 'sql',
      connection_string: `postgres://app:${secrets.urlPassword}@db:5432/x`,
      credentials: { username: 'app', password: secrets.password },
    },
  });
  expect(created.statusCode).toBe(201);
  const etag = created.headers.etag as string;
  await call({
    method: 'POST',
    url: base,
    headers: json,
    payload: { id: 'leak', name: 'again', type: 'sql', credentials: { password: secrets.password } },
  });
  await call({ method: 'GET', url: `${base}/leak` });
  await call({ method: 'GET', url: base });
  await call({ method: 'GET', url: `${base}?type=sql&limit=1` });
  await call({
    method: 'PATCH',
    url: `${base}/leak`,
    headers: { ...json, 'if-match': etag },
    payload: {
      connection_string: `Server=db;Password=${secrets.adoPassword};`,
      credentials: { password: secrets.newPassword },
    },
  });
  // Stale If-Match, with secrets in the body:
  await call({
    method: 'PATCH',
    url: `${base}/leak`,
    headers: { ...json, 'if-match': etag },
    payload: { credentials: { password: secrets.password } },
  });
  await call({
    method: 'PUT',
    url: `${base}/leak`,
    headers: { ...json, 'if-match': etag },
    payload: { name: 'x', type: 'sql', credentials: { password: secrets.putPassword } },
  });
  await call({
    method: 'PUT',
    url: `${base}/leak`,
    headers: json,
    payload: {
      name: 'Replaced',
      type: 'sql',
      connection_string: `host=db password=${secrets.libpqPassword}`,
      credentials: { password: secrets.putPassword },
    },
  });
  // Validation failures carrying secrets:
  await call({
    method: 'POST',
    url: base,
    headers: json,
    payload: { id: 'bad', name: 'x', type: 'ftp', connection_string: `Password=${secrets.adoPassword}` },
  });
  await call({
    method: 'POST',
    url: base,
    headers: json,
    payload: { id: 'bad', name: 'x', type: 'sql', credentials: { password: secrets.password.repeat(200) } },
  });
  await call({
    method: 'POST',
    url: base,
    headers: json,
    payload: { id: 'bad', name: 'x', type: 'sql', credentials: { password: `${secrets.password}\u0000` } },
  });
  await call({
    method: 'POST',
    url: base,
    headers: json,
    payload: { id: 'bad', name: 'x', type: 'sql', credentials: { pasword: secrets.password } },
  });
  await call({
    method: 'POST',
    url: base,
    headers: json,
    payload: `{"id":"bad","credentials":{"password":"${secrets.password}"`,
  });
  await call({
    method: 'POST',
    url: base,
    headers: { 'content-type': 'text/plain' },
    payload: `password=${secrets.password}`,
  });
  await call({
    method: 'PATCH',
    url: `${base}/missing`,
    headers: json,
    payload: { credentials: { password: secrets.password } },
  });
  await call({
    method: 'PATCH',
    url: `${base}/leak`,
    headers: json,
    payload: { connection_string: `Password=${secrets.adoPassword}`, name: null },
  });
  await call({
    method: 'PATCH',
    url: `${base}/leak`,
    headers: { ...json, 'if-match': `"${secrets.password}"` },
    payload: { name: 'x' },
  });
  await call({ method: 'GET', url: `${base}/leak` });
  await call({ method: 'GET', url: '/docs/json' });
  await call({ method: 'DELETE', url: `${base}/leak`, headers: { 'if-match': etag } });
  await call({ method: 'DELETE', url: `${base}/leak` });
  await app.close();

  expect(responses.map((r) => r.statusCode)).toEqual([
    201, 409, 200, 200, 200, 200, 412, 412, 200, 400, 400, 400, 400, 400, 415, 404, 400, 412, 200, 200, 412, 204,
  ]);
  const final = responses.at(-4)!.json();
  expect(final).toMatchObject({ connection_string: 'host=db password=***', credentials: { password_set: true } });

  const transcript = [...responses.map((r) => `${JSON.stringify(r.headers)}\n${r.body}`), ...sink.lines];
  expect(sink.lines.length).toBeGreaterThan(responses.length);
  for (const text of transcript) {
    for (const secret of [...Object.values(secrets), ...keyMaterial]) {
      expect(text).not.toContain(secret);
    }
  }
});
