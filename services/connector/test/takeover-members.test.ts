// What the takeover of a Python-era database asks of /connector/profiles: the
// platform's members (extra_params, legacy) returned as stored, schema_info open,
// credentials strict; a Python-era password that disagrees with
// credentials.password kept sealed as legacy.password and reported, never shown,
// writable only with the admin scope; a row the Python Connector wrote read with
// its secrets as set and sealed on its next write; an incomplete one returned.
import { randomBytes } from 'node:crypto';
import { request, testApp } from '@analytics-engine/http/testing';
import type { OpenDatabase } from '@analytics-engine/storage';
import { createTestDatabase, withClient, type TestDatabase } from '@analytics-engine/storage/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSerializer } from '../../../packages/http/src/serializer.js';
import { profiles as pythonEraProfiles } from '../../../test/takeover/support/legacy-rows.js';
import { guideProfileResponse, profileResponseSchema } from '../src/profile-schemas.js';
import { connectorService } from '../src/service.js';
import { keyEntry } from './support.js';

const admin = randomBytes(24).toString('hex');
const writer = randomBytes(24).toString('hex');
let test: TestDatabase;
let database: OpenDatabase;
let app: FastifyInstance;
beforeAll(async () => {
  test = await createTestDatabase();
  database = await test.open();
  app = await testApp(connectorService, database, {
    CONNECTOR_ENCRYPTION_KEYS: keyEntry('k1'),
    API_KEYS: `admin:${admin},write:${writer}`,
  });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const as = (token: string) => ({ authorization: `Bearer ${token}` });
const raw = (id: string) =>
  withClient(
    test.url,
    async (client) =>
      (
        await client.query<{ data: string }>(
          'select profile_data::text as data from connector_profiles where id = $1',
          [id],
        )
      ).rows[0]?.data ?? '',
  );
/** A profile row of the Python-era database the takeover tests adopt, by its key. */
const pythonEraProfile = (key: string) => pythonEraProfiles.find((row) => row.key === key)!.data;
const insertRaw = (id: string, data: Record<string, unknown>) =>
  withClient(test.url, (client) =>
    client.query('insert into connector_profiles (id, profile_data) values ($1, $2)', [id, JSON.stringify(data)]),
  );

describe('profile members beyond the guide', () => {
  it('are stored and returned as sent: extra_params, legacy, and schema_info beyond tables and columns', async () => {
    const body = {
      name: 'Members',
      type: 'sql',
      extra_params: { sslmode: 'require', options: { keepalive: true } },
      schema_info: { tables: [{ name: 'orders' }], columns: { orders: ['id'] }, discovered_by: 'hand', notes: ['x'] },
      legacy: { owner: 'data-team', host: 'db.internal' },
    };
    const created = await request(app, 'POST', '/connector/profiles', { id: 'members', ...body }, as(writer));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject(body);
    expect((await request(app, 'GET', '/connector/profiles/members', undefined, as(writer))).json()).toMatchObject(
      body,
    );
  });

  it('refuse a member credentials does not name', async () => {
    const refused = await request(
      app,
      'POST',
      '/connector/profiles',
      { id: 'strict', name: 'S', type: 'sql', credentials: { username: 'u', domain: 'CORP' } },
      as(admin),
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('domain');
  });
});

describe('a Python-era password beside credentials.password', () => {
  it(
    'is sealed at rest as legacy.password, reported in secrets and never shown; writing it needs the admin ' + 'scope',
    async () => {
      const body = {
        id: 'two-passwords',
        name: 'Two',
        type: 'sql',
        credentials: { username: 'u', password: 'new-pass' },
        legacy: { password: 'old-pass', owner: 'x' },
      };
      expect((await request(app, 'POST', '/connector/profiles', body, as(writer))).statusCode).toBe(403);
      const created = await request(app, 'POST', '/connector/profiles', body, as(admin));
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json()).toMatchObject({
        legacy: { owner: 'x' },
        secrets: { password: 'set', legacy_password: 'set' },
      });
      expect(created.body).not.toContain('old-pass');
      const stored = await raw('two-passwords');
      expect(stored).not.toContain('old-pass');
      expect(JSON.parse(stored)).toMatchObject({
        legacy: { password: expect.stringMatching(/^enc:v2:k1:/), owner: 'x' },
      });
    },
  );
});

describe('a row the Python Connector wrote', () => {
  it('reads with its secrets as set, and its next write stores it in the current shape, sealed', async () => {
    // The reference's example row, without what the platform's UI adds (schedule, selected_tables).
    const { schedule, selected_tables, ...row } = pythonEraProfile('erp-db');
    await insertRaw('erp-db', row);
    const read = await request(app, 'GET', '/connector/profiles/erp-db', undefined, as(writer));
    expect(read.json()).toEqual({
      id: 'erp-db',
      name: 'ERP',
      type: 'sql',
      connection_string: 'postgresql://db.internal:5432/erp',
      credentials: { username: 'etl', password_set: true },
      extra_params: { sslmode: 'require', connect_timeout: 10 },
      secrets: { connection_string: 'set', password: 'set' },
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect((await request(app, 'PATCH', '/connector/profiles/erp-db', { name: 'ERP 2' }, as(writer))).statusCode).toBe(
      200,
    );
    const stored = JSON.parse(await raw('erp-db')) as Record<string, unknown>;
    expect(stored).toEqual({
      name: 'ERP 2',
      type: 'sql',
      connection_string: expect.stringMatching(/^enc:v2:k1:/),
      credentials: { username: 'etl', password: expect.stringMatching(/^enc:v2:k1:/) },
      extra_params: { sslmode: 'require', connect_timeout: 10 },
    });
  });

  it('is returned, with needs_completion, when its type is not one this service knows', async () => {
    await insertRaw('oracle-db', pythonEraProfile('oracle-db'));
    const read = await request(app, 'GET', '/connector/profiles/oracle-db', undefined, as(writer));
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({
      name: 'Oracle',
      legacy: { type: 'sql_oracle', host: 'ora.internal' },
      needs_completion: ['type'],
      secrets: { password: 'set' },
    });
    expect(read.json()).not.toHaveProperty('type');
    const listed = (await request(app, 'GET', '/connector/profiles?limit=500', undefined, as(writer))).json<{
      items: { id: string }[];
    }>();
    expect(listed.items.map((item) => item.id)).toContain('oracle-db');
  });

  it.each([
    [
      'a Python-era row (legacy, needs_completion, every secret state)',
      {
        id: 'p',
        name: 'P',
        extra_params: { a: [1] },
        legacy: { type: 'sql_oracle' },
        needs_completion: ['type'],
        secrets: { connection_string: 'not_set', password: 'set', legacy_password: 'unreadable' },
        created_at: null,
        updated_at: null,
      },
    ],
    ["the guide's profile", guideProfileResponse],
  ])('goes out through the compiled serializer with every member the response names: %s', (_label, response) => {
    const compiled = compileSerializer(profileResponseSchema, (value) => JSON.stringify(value));
    expect(compiled).toBeDefined();
    expect(JSON.parse(compiled?.(response) ?? '{}')).toEqual(response);
  });
});
