// Rate limits per key and per address, security headers, and load shedding:
// each measured against the real apps on a real database.
import type { OpenDatabase } from '@analytics-engine/storage';
import { createTestDatabase } from '@analytics-engine/storage/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, securedApps, type SecuredApps } from './support.js';

let database: OpenDatabase;
let databaseUrl: string;
const opened: SecuredApps[] = [];

beforeAll(async () => {
  const created = await createTestDatabase();
  databaseUrl = created.url;
  database = await created.open();
});
afterAll(async () => {
  await Promise.all(opened.map((apps) => apps.close()));
  await database.close();
});

/**
 * Event-loop shedding stays off (TEST_ENV) unless a test turns it on: a test of rate limits must not meet a 503
 * OVERLOADED because the whole suite loads two cores past a second of lag.
 */
async function appsWith(env: NodeJS.ProcessEnv): Promise<SecuredApps> {
  const apps = await securedApps(database, env);
  opened.push(apps);
  return apps;
}

describe('rate limits', () => {
  it('limits each key on its own, answers 429 with Retry-After, and never limits health', async () => {
    const [first, second] = [apiKey('read'), apiKey('read')];
    const { demo, logLines } = await appsWith({
      API_KEYS: `${first.entry},${second.entry}`,
      RATE_LIMIT_PER_MINUTE: '3',
    });
    const list = (auth: Record<string, string>) => demo.inject({ method: 'GET', url: '/demo/clients', headers: auth });
    for (let i = 0; i < 3; i++) expect((await list(first.auth)).statusCode).toBe(200);
    const limited = await list(first.auth);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const other = await list(second.auth);
    expect(other.statusCode).toBe(200);
    expect(other.headers['x-ratelimit-limit']).toBe('3');
    for (let i = 0; i < 5; i++) expect((await demo.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect(logLines.join('\n')).toContain('"event":"rate_limited"');
    expect(logLines.join('\n')).not.toContain(first.token);
  });

  it('limits requests without a valid key by address, so guessing keys is slow too', async () => {
    const { demo } = await appsWith({ API_KEYS: apiKey('admin').entry, RATE_LIMIT_PER_MINUTE: '2' });
    const guess = () =>
      demo.inject({ method: 'GET', url: '/demo/clients', headers: { authorization: `Bearer ${'g'.repeat(32)}` } });
    expect((await guess()).statusCode).toBe(401);
    expect((await guess()).statusCode).toBe(401);
    expect((await guess()).statusCode).toBe(429);
  });

  it('is off by default on a loopback service without keys (the local default)', async () => {
    const { demo } = await appsWith({});
    const response = await demo.inject({ method: 'GET', url: '/demo/clients' });
    expect(response.statusCode).toBe(200);
    // With limiting on, every answer carries the limit (see the per-key test above).
    expect(response.headers['x-ratelimit-limit']).toBeUndefined();
  });
});

describe('security headers', () => {
  it('sends helmet headers and no-store on API answers, and lets the docs be cached', async () => {
    const { demo } = await appsWith({});
    const api = await demo.inject({ method: 'GET', url: '/demo/clients' });
    expect(api.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    });
    expect(api.headers['content-security-policy']).toContain("default-src 'self'");
    expect(api.headers['x-powered-by']).toBeUndefined();
    const error = await demo.inject({ method: 'GET', url: '/demo/clients/missing' });
    expect(error.headers['x-content-type-options']).toBe('nosniff');
    const docs = await demo.inject({ method: 'GET', url: '/docs/json' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['cache-control']).not.toBe('no-store');
  });
});

describe('load shedding', () => {
  it('answers 503 OVERLOADED once the event loop lags past MAX_EVENT_LOOP_DELAY_MS', async () => {
    const { demo } = await appsWith({ MAX_EVENT_LOOP_DELAY_MS: '5' });
    const busyUntil = Date.now() + 1_500;
    while (Date.now() < busyUntil) {
      // Blocks the event loop, as CPU-bound work would.
    }
    await expect
      .poll(async () => (await demo.inject({ method: 'GET', url: '/demo/clients' })).json<{ code?: string }>().code, {
        timeout: 3_000,
        interval: 20,
      })
      .toBe('OVERLOADED');
    expect((await demo.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('answers 503 OVERLOADED with Retry-After above MAX_IN_FLIGHT, keeps /health up, and recovers', async () => {
    const { demo } = await appsWith({ MAX_IN_FLIGHT: '2' });
    const locker = new pg.Client({ connectionString: databaseUrl });
    await locker.connect();
    try {
      // Two lists wait on the lock: the service is at capacity.
      await locker.query('begin');
      await locker.query('lock table client_configs in access exclusive mode');
      const waiting = [1, 2].map(() => demo.inject({ method: 'GET', url: '/demo/clients' }));
      await expect
        .poll(
          async () =>
            (
              await locker.query<{ n: number }>(
                `select count(*)::int as n from pg_locks where relation = 'client_configs'::regclass and not granted`,
              )
            ).rows[0]?.n,
          {
            timeout: 5_000,
          },
        )
        .toBe(2);
      const shed = await demo.inject({ method: 'GET', url: '/demo/clients' });
      expect(shed.statusCode).toBe(503);
      expect(shed.json()).toMatchObject({ code: 'OVERLOADED' });
      expect(shed.headers['retry-after']).toBe('2');
      expect((await demo.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      await locker.query('commit');
      expect((await Promise.all(waiting)).map((r) => r.statusCode)).toEqual([200, 200]);
      expect((await demo.inject({ method: 'GET', url: '/demo/clients' })).statusCode).toBe(200);
    } finally {
      await locker.end();
    }
  });
});
