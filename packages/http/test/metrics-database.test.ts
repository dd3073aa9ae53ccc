// database_errors_total counts the errors the database caused, by the code the
// client was answered with, from real failures: a refused connection, a backend
// terminated mid-query, a statement timeout, and an SQL error; an error of the
// service's own is not counted. And the embedded database reports a pool of one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseConfigFromEnv, openDatabase, type OpenDatabase } from '@analytics-engine/storage';
import { createTestDatabase } from '@analytics-engine/storage/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServiceDefinition } from '../src/index.js';
import { sampleValue, scrape } from './support/scrape.js';
import { request, testApp } from './support/testing.js';

const probe: ServiceDefinition = {
  name: 'probe',
  title: 'Probe',
  description: 'routes that make the database fail',
  version: '0.0.0',
  defaultPort: 0,
  portVariable: 'PROBE_PORT',
  setup: ({ database: { db } }) => ({
    register: (scope) => {
      scope.get('/divide-by-zero', () =>
        db.selectNoFrom((eb) => eb.fn('div', [eb.lit(1), eb.lit(0)]).as('x')).execute(),
      );
      scope.get('/terminate', () =>
        db.selectNoFrom((eb) => eb.fn('pg_terminate_backend', [eb.fn('pg_backend_pid')]).as('x')).execute(),
      );
      scope.get('/sleep', () => db.selectNoFrom((eb) => eb.fn('pg_sleep', [eb.lit(3)]).as('x')).execute());
      scope.get('/boom', () => {
        throw new Error('not the database');
      });
    },
  }),
};

const closing: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closing.reverse()) await close();
});
async function appOver(database: OpenDatabase): Promise<FastifyInstance> {
  const app = await testApp(probe, database);
  closing.push(
    () => database.close(),
    () => app.close(),
  );
  return app;
}
const databaseErrors = async (app: FastifyInstance) =>
  (await scrape(app)).samples.filter((sample) => sample.name === 'database_errors_total');

describe('database errors', () => {
  it('are counted by answer code: connection lost, query timeout, an SQL error; not the service own', async () => {
    const app = await appOver(await (await createTestDatabase()).open({ DATABASE_STATEMENT_TIMEOUT_MS: '1000' }));
    const answers = [];
    // The terminated backend last: the pool may hand its dead connection out once more.
    for (const path of ['/sleep', '/divide-by-zero', '/boom', '/divide-by-zero', '/terminate']) {
      const response = await request(app, 'GET', path);
      answers.push([response.statusCode, response.json<{ code: string }>().code]);
    }
    expect(answers).toEqual([
      [504, 'QUERY_TIMEOUT'],
      [500, 'INTERNAL_ERROR'],
      [500, 'INTERNAL_ERROR'],
      [500, 'INTERNAL_ERROR'],
      [503, 'DATABASE_CONNECTION_LOST'],
    ]);
    const counted = await databaseErrors(app);
    expect(Object.fromEntries(counted.map((sample) => [sample.labels.code, sample.value]))).toEqual({
      DATABASE_CONNECTION_LOST: 1,
      QUERY_TIMEOUT: 1,
      INTERNAL_ERROR: 2,
    });
  });

  it('count an unreachable database as DATABASE_UNAVAILABLE', async () => {
    // Port 1: nothing listens, the connection is refused at once.
    const config = databaseConfigFromEnv({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
      DATABASE_CONNECT_TIMEOUT_MS: '2000',
    });
    const app = await appOver(await openDatabase(config));
    const response = await request(app, 'GET', '/divide-by-zero');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    const counted = await databaseErrors(app);
    expect(counted.map((sample) => [sample.labels.code, sample.value])).toEqual([['DATABASE_UNAVAILABLE', 1]]);
  });
});

// PGlite's first start (initdb) takes seconds, more on a loaded two-core machine.
describe('the embedded database', { timeout: 120_000 }, () => {
  it('reports a pool of one connection, none waiting', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ae-metrics-'));
    closing.unshift(() => {
      rmSync(dataDir, { recursive: true, force: true });
      return Promise.resolve();
    });
    const app = await appOver(await openDatabase(databaseConfigFromEnv({ DATA_DIR: dataDir })));
    const { samples } = await scrape(app);
    expect(sampleValue(samples, 'database_pool_size')).toBe(1);
    expect(sampleValue(samples, 'database_pool_max')).toBe(1);
    expect(sampleValue(samples, 'database_pool_waiting')).toBe(0);
  });
});
