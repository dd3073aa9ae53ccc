// GET /connector/profiles: newest first, keyset pages, filters that return exactly
// the matching rows. Its own database, so the expected sets are exact.
import type { OpenDatabase } from '@analytics-engine/storage';
import { createTestDatabase } from '@analytics-engine/storage/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '@analytics-engine/http/testing';
import { connectorService } from '../src/service.js';
import { keyEntry, type PageBody } from './support.js';

let database: OpenDatabase;
let app: FastifyInstance;

const types = ['sql', 'api', 'excel'] as const;
const statuses = ['success', 'failed', undefined] as const;
interface Seed {
  id: string;
  type: (typeof types)[number];
  test_status: (typeof statuses)[number];
  created_at: string;
}
// 30 profiles, one a day from 2025-01-01: p00 oldest, p29 newest.
const seeds: Seed[] = Array.from({ length: 30 }, (_, i) => ({
  id: `p${String(i).padStart(2, '0')}`,
  type: types[i % 3]!,
  test_status: statuses[Math.floor(i / 3) % 3],
  created_at: new Date(Date.UTC(2025, 0, 1 + i, 12)).toISOString(),
}));
// Two rows with the same created_at: the tie is broken by id.
seeds.push({ id: 'p29b', type: 'sql', test_status: 'success', created_at: seeds[29]!.created_at });

beforeAll(async () => {
  database = await (await createTestDatabase()).open();
  app = await testApp(connectorService, database, { CONNECTOR_ENCRYPTION_KEYS: keyEntry('k') });
  for (const seed of seeds) {
    const payload = {
      id: seed.id,
      name: `Profile ${seed.id}`,
      type: seed.type,
      connection_string: `Server=${seed.id};Password=pw-${seed.id};`,
      ...(seed.test_status ? { test_status: seed.test_status } : {}),
    };
    expect((await app.inject({ method: 'POST', url: '/connector/profiles', payload })).statusCode).toBe(201);
    await database.db
      .updateTable('connector_profiles')
      .set({ created_at: seed.created_at })
      .where('id', '=', seed.id)
      .execute();
  }
});
afterAll(async () => {
  await app.close();
  await database.close();
});

/** Follows next_cursor to the end; returns the ids in order and the page sizes. */
async function walk(query: Record<string, string>): Promise<{ ids: string[]; pages: number[] }> {
  const ids: string[] = [];
  const pages: number[] = [];
  let cursor: string | null = null;
  do {
    const params: URLSearchParams = new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}) });
    const response: LightMyRequestResponse = await app.inject(`/connector/profiles?${params.toString()}`);
    expect(response.statusCode, response.body).toBe(200);
    const body: PageBody = response.json<PageBody>();
    ids.push(...body.items.map((item) => item.id));
    pages.push(body.items.length);
    for (const item of body.items) expect(item.connection_string).toBe(`Server=${item.id};Password=***;`);
    cursor = body.next_cursor;
  } while (cursor);
  return { ids, pages };
}

const newestFirst = (rows: Seed[]) =>
  [...rows].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id)).map((s) => s.id);

describe('GET /connector/profiles', () => {
  it('lists newest first with a default page of 50 and no next cursor on the last page', async () => {
    const response = await app.inject('/connector/profiles');
    const body = response.json<PageBody>();
    expect(body.items.map((item) => item.id)).toEqual(newestFirst(seeds));
    expect(body.next_cursor).toBeNull();
    expect(body.items[0]).toMatchObject({ id: 'p29b', secrets: { connection_string: 'set', password: 'not_set' } });
  });

  it('walks pages without gaps or repeats', async () => {
    const { ids, pages } = await walk({ limit: '7' });
    expect(ids).toEqual(newestFirst(seeds));
    expect(pages).toEqual([7, 7, 7, 7, 3]);
  });

  it.each([
    [{ type: 'sql' }, (s: Seed) => s.type === 'sql'],
    [{ test_status: 'failed' }, (s: Seed) => s.test_status === 'failed'],
    [{ type: 'api', test_status: 'success' }, (s: Seed) => s.type === 'api' && s.test_status === 'success'],
    [{ created_after: '2025-01-10T12:00:00Z' }, (s: Seed) => s.created_at > '2025-01-10T12:00:00.000Z'],
    [{ created_before: '2025-01-05T00:00:00+01:00' }, (s: Seed) => s.created_at < '2025-01-04T23:00:00.000Z'],
    [
      { type: 'excel', created_after: '2025-01-03T00:00:00Z', created_before: '2025-01-25T00:00:00Z' },
      (s: Seed) =>
        s.type === 'excel' && s.created_at > '2025-01-03T00:00:00.000Z' && s.created_at < '2025-01-25T00:00:00.000Z',
    ],
  ])('filters %j across pages to exactly the matching rows', async (query, matches) => {
    const expected = newestFirst(seeds.filter(matches));
    expect(expected.length).toBeGreaterThan(0);
    const { ids } = await walk({ ...query, limit: '2' });
    expect(ids).toEqual(expected);
  });

  it('answers an empty page when nothing matches', async () => {
    const response = await app.inject('/connector/profiles?created_after=2030-01-01T00:00:00Z');
    expect(response.json()).toEqual({ items: [], next_cursor: null });
  });

  // The shared error handler names query parameters 'query.<name>', as the URL does.
  it('answers 400 naming the query parameter', async () => {
    for (const [query, path] of [
      ['limit=0', 'query.limit'],
      ['limit=501', 'query.limit'],
      ['limit=ten', 'query.limit'],
      ['type=ftp', 'query.type'],
      ['test_status=maybe', 'query.test_status'],
      ['created_after=yesterday', 'query.created_after'],
      ['cursor=not-a-cursor', 'query.cursor'],
    ]) {
      const response = await app.inject(`/connector/profiles?${query!}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().details[0].path).toBe(path);
    }
    expect((await app.inject('/connector/profiles?limit=500')).statusCode).toBe(200);
  });
});
