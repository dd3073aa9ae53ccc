// GET /metrics: exact request counts by route template and status class after
// known traffic, one registry per app, who may scrape, and the protections'
// counters (rate-limit refusals, sheds, requests in flight) and pool gauges.
import { randomBytes } from 'node:crypto';
import type { OpenDatabase } from '@analytics-engine/storage';
import { createTestDatabase } from '@analytics-engine/storage/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeService } from './support/probe-service.js';
import { sampleValue, scrape } from './support/scrape.js';
import { request, testApp } from './support/testing.js';

/** Requests to GET /hold wait here until the test opens the gate. */
class Gate {
  private opened: Promise<void> = Promise.resolve();
  private open: () => void = () => undefined;
  private arrivals: (() => void)[] = [];

  close(): void {
    this.opened = new Promise((resolve) => (this.open = resolve));
  }
  release(): void {
    this.open();
  }
  /** Resolves once a request is waiting at the gate. */
  arrival(): Promise<void> {
    return new Promise((resolve) => this.arrivals.push(resolve));
  }
  async pass(): Promise<void> {
    for (const arrived of this.arrivals.splice(0)) arrived();
    await this.opened;
  }
}
const gate = new Gate();

const probe = probeService({
  description: 'one resource over client_configs, and a route that waits',
  routes: (scope) => {
    scope.get('/hold', async () => {
      await gate.pass();
      return { held: true };
    });
  },
});

const key = (scope: 'read' | 'write') => {
  const token = randomBytes(24).toString('base64url');
  return { entry: `${scope}:${token}`, auth: { authorization: `Bearer ${token}` } };
};
const elsewhere = '203.0.113.7';

let database: OpenDatabase;
const apps: FastifyInstance[] = [];
async function appWith(env: NodeJS.ProcessEnv = {}): Promise<FastifyInstance> {
  const app = await testApp(probe, database, env);
  apps.push(app);
  return app;
}
beforeAll(async () => {
  database = await (await createTestDatabase()).open();
});
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await database.close();
});

const thing = (id: string) => ({ thing_id: id, client_name: `Client ${id}`, license_type: 'basic' });

describe('request metrics', () => {
  it('count every request by method, route template and status class, with its latency', async () => {
    const app = await appWith();
    for (const id of ['m-1', 'm-2', 'm-3']) {
      const created = await request(app, 'POST', '/things', thing(id));
      expect(created.statusCode, created.body).toBe(201);
    }
    for (const id of ['m-1', 'm-2']) expect((await request(app, 'GET', `/things/${id}`)).statusCode).toBe(200);
    expect((await request(app, 'GET', '/things/m-missing')).statusCode).toBe(404);
    expect((await request(app, 'GET', '/nowhere/m-1')).statusCode).toBe(404);
    expect((await request(app, 'GET', '/health')).statusCode).toBe(200);

    const { samples, text } = await scrape(app);
    const count = (method: string, route: string, statusClass: string) =>
      sampleValue(samples, 'http_requests_total', { method, route, status_class: statusClass });
    expect(count('POST', '/things', '2xx')).toBe(3);
    expect(count('GET', '/things/:thing_id', '2xx')).toBe(2);
    expect(count('GET', '/things/:thing_id', '4xx')).toBe(1);
    expect(count('GET', 'unmatched', '4xx')).toBe(1);
    expect(count('GET', '/health', '2xx')).toBe(1);
    // Nothing else was counted.
    const series = samples.filter((s) => s.name === 'http_requests_total');
    expect(series.length).toBe(5);
    expect(series.reduce((total, s) => total + s.value, 0)).toBe(8);

    const latency = (suffix: string, labels: Record<string, string>) =>
      sampleValue(samples, `http_request_duration_seconds_${suffix}`, labels);
    const creates = { method: 'POST', route: '/things', status_class: '2xx' };
    expect(latency('count', creates)).toBe(3);
    expect(latency('bucket', { ...creates, le: '+Inf' })).toBe(3);
    expect(latency('sum', creates)).toBeGreaterThan(0);
    expect(latency('sum', creates)).toBeLessThan(30);
    // Route labels are templates: no raw id or path appears anywhere.
    expect(text).not.toMatch(/m-1|m-missing|nowhere/);
    expect(samples.every((s) => s.labels.service === 'probe')).toBe(true);
  });

  it('leave the scrape itself out, and keep one registry per app', async () => {
    const app = await appWith();
    const other = await appWith();
    await request(app, 'GET', '/things');
    await scrape(app);
    const { samples } = await scrape(app);
    expect(samples.some((s) => s.labels.route === '/metrics')).toBe(false);
    expect(sampleValue(samples, 'http_requests_total', { route: '/things' })).toBe(1);
    const otherSamples = (await scrape(other)).samples;
    expect(otherSamples.some((s) => s.name === 'http_requests_total')).toBe(false);
    // Process metrics: one set per process, shown by every app.
    for (const { name } of [{ name: 'process_cpu_user_seconds_total' }, { name: 'nodejs_heap_size_used_bytes' }]) {
      expect(sampleValue(samples, name), name).toBeGreaterThan(0);
      expect(sampleValue(otherSamples, name), name).toBeGreaterThan(0);
    }
  });

  it('are served as Prometheus text with the security headers and no-store', async () => {
    const { response } = await scrape(await appWith());
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers).toMatchObject({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  });
});

describe('database pool gauges', () => {
  it('show the pool size, idle and waiting connections, and its maximum', async () => {
    const app = await appWith();
    await request(app, 'GET', '/things');
    const { samples } = await scrape(app);
    const stats = database.poolStats?.();
    expect(stats).toBeDefined();
    expect(sampleValue(samples, 'database_pool_size')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'database_pool_idle')).toBeGreaterThanOrEqual(0);
    expect(sampleValue(samples, 'database_pool_waiting')).toBe(0);
    expect(sampleValue(samples, 'database_pool_max')).toBe(stats?.max);
  });
});

describe('who may scrape', () => {
  const read = key('read');
  const write = key('write');
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await appWith({ API_KEYS: `${read.entry},${write.entry}` });
  });

  it('is open to loopback callers without a key (IPv4, IPv6 and IPv4-mapped)', async () => {
    for (const remoteAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) await scrape(app, { remoteAddress });
    // Only the route that says so: the API still needs a key from loopback.
    expect((await request(app, 'GET', '/things')).statusCode).toBe(401);
  });

  it('needs the read scope from anywhere else: 401 without a key or with a wrong one, 200 with one', async () => {
    for (const headers of [{}, { authorization: `Bearer ${'x'.repeat(32)}` }]) {
      const refused = await app.inject({ method: 'GET', url: '/metrics', remoteAddress: elsewhere, headers });
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(refused.headers).toMatchObject({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    }
    const { samples } = await scrape(app, { remoteAddress: elsewhere, headers: read.auth });
    await scrape(app, { remoteAddress: elsewhere, headers: write.auth });
    expect(sampleValue(samples, 'database_pool_max')).toBeGreaterThan(0);
  });
});

describe('protection counters', () => {
  it('count rate-limit refusals by key and address; scrapes with a key or from loopback are not limited', async () => {
    const read = key('read');
    const app = await appWith({ API_KEYS: read.entry, RATE_LIMIT_PER_MINUTE: '2' });
    const list = () => app.inject({ method: 'GET', url: '/things', headers: read.auth });
    expect([(await list()).statusCode, (await list()).statusCode, (await list()).statusCode]).toEqual([200, 200, 429]);
    for (let i = 0; i < 4; i++) {
      await scrape(app, { remoteAddress: elsewhere, headers: read.auth });
      await scrape(app);
    }
    // Without a key from elsewhere the limit holds, so /metrics is no way around the limit on guessing keys.
    const guesses = [];
    for (let i = 0; i < 3; i++)
      guesses.push((await app.inject({ url: '/metrics', remoteAddress: elsewhere })).statusCode);
    expect(guesses).toEqual([401, 401, 429]);

    const { samples } = await scrape(app);
    expect(sampleValue(samples, 'http_rate_limited_total', { by: 'key' })).toBe(1);
    expect(sampleValue(samples, 'http_rate_limited_total', { by: 'address' })).toBe(1);
    expect(sampleValue(samples, 'http_requests_total', { route: '/things', status_class: '4xx' })).toBe(1);
  });

  it('show the requests in flight and count those shed above MAX_IN_FLIGHT; the scrape still answers', async () => {
    const app = await appWith({ MAX_IN_FLIGHT: '1' });
    gate.close();
    const arrived = gate.arrival();
    const held = request(app, 'GET', '/hold');
    await arrived;
    try {
      expect(sampleValue((await scrape(app)).samples, 'http_requests_in_flight')).toBe(1);
      const shed = await request(app, 'GET', '/things');
      expect(shed.statusCode).toBe(503);
      expect(shed.json()).toMatchObject({ code: 'OVERLOADED' });
    } finally {
      gate.release();
    }
    expect((await held).statusCode).toBe(200);
    await expect.poll(async () => sampleValue((await scrape(app)).samples, 'http_requests_in_flight')).toBe(0);
    const { samples } = await scrape(app);
    expect(sampleValue(samples, 'http_requests_shed_total', { reason: 'in_flight' })).toBe(1);
    expect(sampleValue(samples, 'http_requests_total', { route: '/things', status_class: '5xx' })).toBe(1);
    expect(sampleValue(samples, 'http_requests_total', { route: '/hold', status_class: '2xx' })).toBe(1);
  });

  it('count sheds for event-loop delay under their own reason', async () => {
    const app = await appWith({ MAX_EVENT_LOOP_DELAY_MS: '5' });
    const busyUntil = Date.now() + 1_500;
    while (Date.now() < busyUntil) {
      // Blocks the event loop, as CPU-bound work would.
    }
    await expect
      .poll(async () => (await request(app, 'GET', '/things')).json<{ code?: string }>().code, {
        timeout: 3_000,
        interval: 20,
      })
      .toBe('OVERLOADED');
    const { samples } = await scrape(app);
    expect(sampleValue(samples, 'http_requests_shed_total', { reason: 'event_loop_delay' })).toBeGreaterThanOrEqual(1);
  });
});
