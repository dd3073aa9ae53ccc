// What the platform receives: every change of both services as an event on the
// stream (the platform's names and members, the envelope, the actor), never a
// secret; and the audit trail of the same changes, by who made them.
import { randomUUID } from 'node:crypto';
import { outboxBacklog, type OpenDatabase } from '@analytics-engine/storage';
import { createTestDatabase } from '@analytics-engine/storage/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, securedApps, type SecuredApps } from '../security/support.js';
import { eventually, MACHINE_REDIS_URL, readStream, type StreamEvent } from './support.js';

const stream = `test:events:${randomUUID()}`;
const admin = apiKey('admin');
const writer = apiKey('write');
const named = { ...apiKey('admin'), name: 'ops-console' };
const PASSWORD = 'correct-horse-battery-staple-42';
const CONNECTION_STRING = `postgresql://reporter:${PASSWORD}@db.example.com:5432/sales`;

let database: OpenDatabase;
let databaseUrl: string;
let apps: SecuredApps;
const redis = new Redis(MACHINE_REDIS_URL);

beforeAll(async () => {
  const created = await createTestDatabase();
  databaseUrl = created.url;
  database = await created.open();
  apps = await securedApps(database, {
    API_KEYS: `${admin.entry},${writer.entry},${named.name}=${named.entry}`,
    EVENTS_REDIS_URL: MACHINE_REDIS_URL,
    EVENTS_STREAM: stream,
    CONNECTOR_EGRESS_ALLOW: '127.0.0.1/32',
  });
});
afterAll(async () => {
  await apps.close();
  await database.close();
  await redis.del(stream);
  redis.disconnect();
});

const send = (
  app: 'demo' | 'connector',
  method: 'POST' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
  auth = admin.auth,
) =>
  apps[app].inject({
    method,
    url,
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...auth },
  });

/** The stream once it holds `count` events. */
const events = (count: number) =>
  eventually(async () => {
    const all = await readStream(redis, stream);
    return all.length >= count ? all : undefined;
  });

describe('events', () => {
  let all: StreamEvent[];
  let fingerprintActor: string;
  let jti: string;
  // Each service's relay publishes its own events in order; the two interleave as they happen to.
  const ofService = (service: string) => all.filter((event) => event.event.service === service);

  beforeAll(async () => {
    expect(
      (
        await send('demo', 'POST', '/demo/clients', {
          client_id: 'acme',
          client_name: 'Acme',
          license_type: 'professional',
          modules: ['SCOR'],
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await send(
          'demo',
          'PATCH',
          '/demo/clients/acme',
          { license_type: 'enterprise', modules: ['SCOR', 'CRM'] },
          named.auth,
        )
      ).statusCode,
    ).toBe(200);
    const proposal = { proposal_id: 'p-1', client_id: 'acme', proposal_type: 'implementation', status: 'draft' };
    expect((await send('demo', 'POST', '/demo/proposals', proposal)).statusCode).toBe(201);
    expect((await send('demo', 'PATCH', '/demo/proposals/p-1', { status: 'sent' })).statusCode).toBe(200);
    const accepted = await send('demo', 'PATCH', '/demo/proposals/p-1', { status: 'accepted' });
    expect(accepted.statusCode).toBe(200);
    jti = accepted.json<{ license: { jti: string } }>().license.jti;
    expect((await send('demo', 'POST', `/demo/licenses/${jti}/revoke`)).statusCode).toBe(200);
    // Revoking again changes nothing, and says nothing.
    expect((await send('demo', 'POST', `/demo/licenses/${jti}/revoke`)).statusCode).toBe(200);
    const profile = {
      id: 'warehouse',
      name: 'Warehouse',
      type: 'sql',
      connection_string: CONNECTION_STRING,
      credentials: { username: 'reporter', password: PASSWORD },
    };
    expect((await send('connector', 'POST', '/connector/profiles', profile)).statusCode).toBe(201);
    expect(
      (
        await send('connector', 'PATCH', '/connector/profiles/warehouse', {
          credentials: { password: `${PASSWORD}-2` },
        })
      ).statusCode,
    ).toBe(200);
    expect((await send('connector', 'DELETE', '/connector/profiles/warehouse')).statusCode).toBe(204);
    expect((await send('demo', 'DELETE', '/demo/clients/acme?cascade=true')).statusCode).toBe(204);
    all = await events(13);
    fingerprintActor = String(ofService('demo-config')[0]?.event.actor);
  });

  it('publishes every change, in order, with the platform names and members', () => {
    expect(ofService('demo-config').map((event) => event.type)).toEqual([
      'config.created',
      'config.updated',
      'proposal.created',
      'proposal.status_changed',
      'config.updated',
      'proposal.status_changed',
      'license.issued',
      'license.revoked',
      'proposal.deleted',
      'config.deleted',
    ]);
    expect(ofService('connector').map((event) => event.type)).toEqual([
      'connection.created',
      'connection.updated',
      'connection.deleted',
    ]);
  });

  it('gives every event the envelope: a unique id, type, occurred_at, service, the aggregate id and the actor', () => {
    expect(new Set(all.map((event) => event.id)).size).toBe(all.length);
    for (const { id, type, aggregateId, event } of all) {
      expect(event).toMatchObject({ id, type });
      // Published as written: the envelope leads, whatever order JSONB would have kept.
      expect(Object.keys(event).slice(0, 5)).toEqual(['id', 'type', 'occurred_at', 'service', 'actor']);
      expect(Date.parse(String(event.occurred_at))).not.toBeNaN();
      expect(event.service).toBe(type.startsWith('connection') ? 'connector' : 'demo-config');
      const idMember = type.startsWith('connection')
        ? 'connection_id'
        : type.startsWith('config')
          ? 'client_id'
          : 'proposal_id';
      expect(event[idMember]).toBe(aggregateId);
    }
  });

  it("names the actor by the key's name, else a fingerprint of the key, never its token", () => {
    expect(fingerprintActor).toMatch(/^key:[0-9a-f]{12}$/);
    expect(ofService('demo-config')[1]?.event.actor).toBe('ops-console');
    const text = JSON.stringify(all);
    expect(text).not.toContain(admin.token);
    expect(text).not.toContain(named.token);
  });

  it('carries the members each type promises', () => {
    const [created, updated, proposalCreated, sent, licensed, accepted, issued, revoked, deleted] = ofService(
      'demo-config',
    ).map((e) => e.event);
    const [connection, connectionUpdated] = ofService('connector').map((e) => e.event);
    expect(created).toMatchObject({ client_id: 'acme' });
    expect(updated).toMatchObject({ client_id: 'acme', changes: ['license_type', 'modules'] });
    expect(Date.parse(String(updated?.timestamp))).not.toBeNaN();
    expect(proposalCreated).toMatchObject({ proposal_id: 'p-1', client_id: 'acme', status: 'draft' });
    expect(sent).toMatchObject({ proposal_id: 'p-1', client_id: 'acme', from: 'draft', to: 'sent' });
    expect(licensed).toMatchObject({ client_id: 'acme', changes: ['license_expiration', 'license_key'] });
    expect(accepted).toMatchObject({ from: 'sent', to: 'accepted' });
    expect(issued).toMatchObject({ proposal_id: 'p-1', client_id: 'acme', license_id: jti });
    expect(revoked).toMatchObject({ proposal_id: 'p-1', client_id: 'acme', license_id: jti });
    expect(Date.parse(String(revoked?.revoked_at))).not.toBeNaN();
    expect(connection).toMatchObject({ connection_id: 'warehouse', connection_type: 'sql' });
    expect(connectionUpdated).toMatchObject({ connection_id: 'warehouse', changes: ['credentials'] });
    expect(deleted).toMatchObject({ proposal_id: 'p-1', client_id: 'acme' });
  });

  it('never carries a secret: no password, no connection string, no licence key', async () => {
    const raw = JSON.stringify(await redis.xrange(stream, '-', '+'));
    expect(raw).not.toContain(PASSWORD);
    expect(raw).not.toContain('db.example.com');
    const proposal = await database.db
      .selectFrom('event_outbox')
      .select('event')
      .where('type', '=', 'license.issued')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(proposal.event)).not.toMatch(/eyJ/);
  });

  it('records what it sent as published: nothing waits', async () => {
    for (const service of ['demo-config', 'connector']) {
      expect(await outboxBacklog(database.db, service)).toEqual({ pending: 0, oldestAgeMs: 0 });
    }
  });
});

describe('connection tests', () => {
  const eventsOf = async (id: string, count: number) =>
    eventually(async () => {
      const mine = (await readStream(redis, stream)).filter((event) => event.aggregateId === id);
      return mine.length >= count ? mine.map((event) => event.event) : undefined;
    });

  it('publishes connection.tested and, after a discovery, schema.discovered with the table count', async () => {
    const profile = { id: 'pg', name: 'This database', type: 'sql', connection_string: databaseUrl };
    expect((await send('connector', 'POST', '/connector/profiles', profile)).statusCode).toBe(201);
    const discovery = await send('connector', 'POST', '/connector/profiles/pg/discover', {});
    expect(discovery.statusCode).toBe(200);
    const tables = discovery.json<{ result: { schema_info: { tables: unknown[] } } }>().result.schema_info.tables;
    expect(tables.length).toBeGreaterThan(0);
    const [, tested, discovered] = await eventsOf('pg', 3);
    expect(tested).toMatchObject({ type: 'connection.tested', connection_id: 'pg', success: true, error_code: null });
    expect(discovered).toMatchObject({
      type: 'schema.discovered',
      connection_id: 'pg',
      connection_type: 'sql',
      table_count: tables.length,
    });
  });

  it('reports a failed test with its error code, and audits it as a test', async () => {
    const profile = {
      id: 'gone',
      name: 'Nothing listens',
      type: 'sql',
      connection_string: 'postgresql://u@127.0.0.1:9/x',
    };
    expect((await send('connector', 'POST', '/connector/profiles', profile)).statusCode).toBe(201);
    const test = await send('connector', 'POST', '/connector/profiles/gone/test', {});
    const code = test.json<{ result: { error: { code: string } } }>().result.error.code;
    const [, tested] = await eventsOf('gone', 2);
    expect(tested).toMatchObject({
      type: 'connection.tested',
      connection_id: 'gone',
      success: false,
      error_code: code,
    });
    const audit = await apps.connector.inject({ method: 'GET', url: '/audit?id=gone', headers: admin.auth });
    expect(audit.json<{ items: { action: string; changes: string[] }[] }>().items[0]).toMatchObject({
      action: 'test',
      changes: ['last_tested', 'test_status'],
    });
  });
});

describe('audit trail', () => {
  const audit = (app: 'demo' | 'connector', query = '', auth: Record<string, string> = admin.auth) =>
    apps[app].inject({ method: 'GET', url: `/audit${query}`, headers: auth });

  it("lists the service's changes newest first: who, what, which members, the request id", async () => {
    const response = await audit('demo');
    expect(response.statusCode).toBe(200);
    const { items } = response.json<{ items: Record<string, unknown>[] }>();
    expect(items.map((item) => [item.resource, item.resource_id, item.action])).toEqual([
      ['client', 'acme', 'delete'],
      ['proposal', 'p-1', 'delete'],
      ['proposal', 'p-1', 'revoke'],
      ['proposal', 'p-1', 'update'],
      ['client', 'acme', 'update'],
      ['proposal', 'p-1', 'update'],
      ['proposal', 'p-1', 'create'],
      ['client', 'acme', 'update'],
      ['client', 'acme', 'create'],
    ]);
    expect(items[7]).toMatchObject({ actor: 'ops-console', changes: ['license_type', 'modules'] });
    expect(items[7]?.request_id).toEqual(expect.any(String));
  });

  it('names changed secrets by member, never by value', async () => {
    const { items } = (await audit('connector', '?id=warehouse')).json<{ items: Record<string, unknown>[] }>();
    expect(items.map((item) => item.action)).toEqual(['delete', 'update', 'create']);
    expect(items[1]?.changes).toEqual(['credentials']);
    expect(JSON.stringify(items)).not.toContain(PASSWORD);
  });

  it('filters by resource, id, actor and time, and pages with a cursor', async () => {
    const ids = async (query: string) =>
      (await audit('demo', query)).json<{ items: { resource_id: string; action: string }[] }>().items;
    expect((await ids('?resource=proposal')).map((item) => item.action)).toEqual([
      'delete',
      'revoke',
      'update',
      'update',
      'create',
    ]);
    expect(await ids('?actor=ops-console')).toHaveLength(1);
    expect(await ids('?created_after=2999-01-01T00:00:00Z')).toEqual([]);
    expect(await ids('?created_before=2000-01-01T00:00:00Z')).toEqual([]);
    const first = (await audit('demo', '?limit=3')).json<{ items: unknown[]; next_cursor: string }>();
    const second = (await audit('demo', `?limit=3&cursor=${first.next_cursor}`)).json<{ items: unknown[] }>();
    expect([...first.items, ...second.items]).toEqual(
      (await audit('demo', '?limit=6')).json<{ items: unknown[] }>().items,
    );
  });

  it('needs the admin scope, and names a bad filter', async () => {
    expect((await audit('demo', '', writer.auth)).statusCode).toBe(403);
    expect((await audit('demo', '', {})).statusCode).toBe(401);
    const bad = await audit('demo', '?resource=planet');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('resource');
  });
});
