// Delivery under load and faults: a burst read by a consumer group, Redis
// stopped mid-burst, two instances sharing an outbox, and a relay SIGKILLed
// mid-batch. Every time: every event arrives (after dropping repeats by id),
// in commit order per aggregate; writes never wait for Redis.
import { randomUUID } from 'node:crypto';
import { demoConfigService } from '@analytics-engine/demo-config';
import { testApp } from '@analytics-engine/http/testing';
import { outboxBacklog, type OpenDatabase } from '@analytics-engine/storage';
import { createTestDatabase, withClient, type TestDatabase } from '@analytics-engine/storage/testing';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startServices, stop } from '../run-modes/running-services.js';
import {
  consumeGroup,
  eventually,
  MACHINE_REDIS_URL,
  ownRedis,
  readStream,
  withoutRepeats,
  type StreamEvent,
} from './support.js';

const redis = new Redis(MACHINE_REDIS_URL);
const streams: string[] = [];
let testDatabase: TestDatabase;
let database: OpenDatabase;

beforeEach(async () => {
  testDatabase = await createTestDatabase();
  database = await testDatabase.open();
  return () => database.close();
});
afterAll(async () => {
  if (streams.length > 0) await redis.del(...streams);
  redis.disconnect();
});

function newStream(): string {
  const stream = `test:events:${randomUUID()}`;
  streams.push(stream);
  return stream;
}

const demoApp = (env: NodeJS.ProcessEnv) => testApp(demoConfigService, database, env);

/**
 * `clients` clients, each created then patched until `perClient` writes each:
 * the clients in parallel, each client's writes one after another.
 */
async function burst(apps: readonly FastifyInstance[], clients: number, perClient: number, prefix = 'c') {
  let turn = 0;
  const next = () => apps[turn++ % apps.length] as FastifyInstance;
  const write = async (method: 'POST' | 'PATCH', url: string, body: unknown) => {
    const response = await next().inject({
      method,
      url,
      payload: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode, response.body).toBeLessThan(300);
  };
  await Promise.all(
    Array.from({ length: clients }, async (_, index) => {
      const id = `${prefix}-${String(index)}`;
      await write('POST', '/demo/clients', { client_id: id, client_name: 'v0', license_type: 'basic' });
      for (let version = 1; version < perClient; version++) {
        await write('PATCH', `/demo/clients/${id}`, { client_name: `v${String(version)}` });
      }
    }),
  );
}

/** The outbox's ids per aggregate, in position (commit) order. */
async function committedOrder(): Promise<Map<string, string[]>> {
  const rows = await database.db
    .selectFrom('event_outbox')
    .select(['id', 'aggregate_id'])
    .orderBy('position')
    .execute();
  return groupIds(rows.map((row) => ({ id: row.id, aggregateId: row.aggregate_id })));
}

/** A relay holds a batch: its transaction-level advisory lock is granted. */
async function batchInFlight(): Promise<boolean> {
  const { rows } = await withClient(testDatabase.url, (client) =>
    client.query<{ held: string }>(
      `select count(*) as held from pg_locks where locktype = 'advisory' and granted
         and database = (select oid from pg_database where datname = current_database())`,
    ),
  );
  return Number(rows[0]?.held) > 0;
}

function groupIds(events: readonly Pick<StreamEvent, 'id' | 'aggregateId'>[]): Map<string, string[]> {
  const byAggregate = new Map<string, string[]>();
  for (const { id, aggregateId } of events) byAggregate.set(aggregateId, [...(byAggregate.get(aggregateId) ?? []), id]);
  return byAggregate;
}

const streamHolds = (url: Redis, stream: string, count: number) =>
  eventually(async () => {
    const distinct = withoutRepeats(await readStream(url, stream));
    return distinct.length >= count ? distinct : undefined;
  }, 60_000);

describe('event delivery', { timeout: 120_000 }, () => {
  it('a consumer group reads every event of a burst of 2,000 writes exactly once, in order per aggregate', async () => {
    const stream = newStream();
    const app = await demoApp({ EVENTS_REDIS_URL: MACHINE_REDIS_URL, EVENTS_STREAM: stream });
    try {
      await burst([app], 50, 40);
      const { delivered, distinct } = await consumeGroup(redis, stream, 2_000);
      expect(distinct).toHaveLength(2_000);
      expect(delivered).toHaveLength(2_000);
      expect(groupIds(distinct)).toEqual(await committedOrder());
      for (const ids of groupIds(distinct).values()) expect(ids).toHaveLength(40);
    } finally {
      await app.close();
    }
  });

  it('keeps accepting writes while Redis is stopped, and delivers every event once it is back', async () => {
    const own = await ownRedis();
    const ownClient = new Redis(own.url, { maxRetriesPerRequest: null });
    ownClient.on('error', () => undefined);
    const stream = newStream();
    const app = await demoApp({ EVENTS_REDIS_URL: own.url, EVENTS_STREAM: stream, EVENTS_BACKLOG_LIMIT: '100' });
    try {
      await burst([app], 20, 10, 'before');
      await streamHolds(ownClient, stream, 200);
      await own.stop();
      await burst([app], 20, 20, 'during');
      const ready = (await app.inject({ method: 'GET', url: '/ready' })).json<{ status: string; events: unknown }>();
      expect(ready).toMatchObject({ status: 'ready', events: { redis: 'down', over_limit: true } });
      expect((ready.events as { backlog: number }).backlog).toBeGreaterThan(100);
      await own.start();
      const distinct = await streamHolds(ownClient, stream, 600);
      expect(distinct).toHaveLength(600);
      expect(groupIds(distinct)).toEqual(await committedOrder());
      const after = (await app.inject({ method: 'GET', url: '/ready' })).json<{ events: unknown }>();
      expect(after.events).toMatchObject({ redis: 'up', backlog: 0, over_limit: false });
    } finally {
      await app.close();
      ownClient.disconnect();
      await own.dispose();
    }
  });

  it('publishes each event once when two instances share the outbox', async () => {
    const stream = newStream();
    const env = { EVENTS_REDIS_URL: MACHINE_REDIS_URL, EVENTS_STREAM: stream };
    const apps = [await demoApp(env), await demoApp(env)];
    try {
      await burst(apps, 40, 25);
      const distinct = await streamHolds(redis, stream, 1_000);
      // Settled: nothing waits, and nothing went out twice.
      await eventually(async () =>
        (await outboxBacklog(database.db, 'demo-config')).pending === 0 ? true : undefined,
      );
      expect(await readStream(redis, stream)).toHaveLength(1_000);
      expect(groupIds(distinct)).toEqual(await committedOrder());
    } finally {
      await Promise.all(apps.map((app) => app.close()));
    }
  });

  it('deletes published events after EVENTS_RETENTION_HOURS, and keeps the rest', async () => {
    const stream = newStream();
    const writer = await demoApp({ EVENTS_REDIS_URL: 'redis://127.0.0.1:9', EVENTS_STREAM: stream });
    await burst([writer], 3, 4, 'old');
    await writer.close();
    // Twelve events made two days ago and never published: published first, then deleted.
    await database.db
      .updateTable('event_outbox')
      .set({ created_at: new Date(Date.now() - 48 * 3_600_000) })
      .execute();
    const app = await demoApp({
      EVENTS_REDIS_URL: MACHINE_REDIS_URL,
      EVENTS_STREAM: stream,
      EVENTS_RETENTION_HOURS: '24',
    });
    try {
      await burst([app], 2, 3, 'new');
      await streamHolds(redis, stream, 18);
      const left = await eventually(async () => {
        const rows = await database.db.selectFrom('event_outbox').select('aggregate_id').execute();
        return rows.length === 6 ? rows : undefined;
      });
      expect(new Set(left.map((row) => row.aggregate_id))).toEqual(new Set(['new-0', 'new-1']));
    } finally {
      await app.close();
    }
  });

  // A boot of both services takes seconds, more on a loaded machine.
  it('loses no event when a relay is SIGKILLed mid-batch', { timeout: 300_000 }, async () => {
    const own = await ownRedis();
    const ownClient = new Redis(own.url);
    ownClient.on('error', () => undefined);
    const stream = newStream();
    // A backlog first: written while the relay points at a port where no Redis listens.
    const writer = await demoApp({ EVENTS_REDIS_URL: 'redis://127.0.0.1:9', EVENTS_STREAM: stream });
    await burst([writer], 60, 50);
    await writer.close();

    const services = await startServices({
      DATABASE_URL: testDatabase.url,
      EVENTS_REDIS_URL: own.url,
      EVENTS_STREAM: stream,
    });
    let relay: FastifyInstance | undefined;
    try {
      // After its first batch, Redis stops answering: the next batch is claimed and sent, and waits for Redis.
      await eventually(async () => ((await ownClient.xlen(stream)) > 0 ? true : undefined), 90_000);
      own.pause();
      await eventually(async () => ((await batchInFlight()) ? true : undefined), 10_000);
      await stop(services, 'SIGKILL');
      own.resume();
      const published = await ownClient.xlen(stream);

      relay = await demoApp({ EVENTS_REDIS_URL: own.url, EVENTS_STREAM: stream });
      await relay.ready(); // the relay starts with the app
      const distinct = await streamHolds(ownClient, stream, 3_000);
      expect(distinct).toHaveLength(3_000);
      expect(groupIds(distinct)).toEqual(await committedOrder());
      console.log(
        `relay SIGKILL mid-batch: ${String(published)} of 3000 events in Redis after the kill, ` +
          `${String((await ownClient.xlen(stream)) - 3_000)} published twice, none lost`,
      );
    } finally {
      own.resume();
      await relay?.close();
      if (services.child.exitCode === null) await stop(services, 'SIGKILL');
      ownClient.disconnect();
      await own.dispose();
    }
  });
});
