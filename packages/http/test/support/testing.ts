// What every test file builds the services with: one environment, one app
// builder over a real database, one request helper, and a log sink.
//
// TEST_ENV: tests run many files at once on two cores, where the event loop lags
// for reasons of the machine, not of the service, so event-loop shedding is off
// unless a test turns it on (test/security/limits.test.ts does). Everything else
// is production's default.
import { Writable } from 'node:stream';
import type { OpenDatabase } from '@analytics-engine/storage';
import { createTestDatabase } from '@analytics-engine/storage/testing';
import { afterAll, beforeAll } from 'vitest';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type InjectOptions,
  type LightMyRequestResponse,
} from 'fastify';
import { buildApp, type ServiceDefinition } from '../../src/build-app.js';

export const TEST_ENV = { NODE_ENV: 'test', MAX_EVENT_LOOP_DELAY_MS: '0' } as const;

export interface TestAppOptions {
  readonly logger?: FastifyBaseLogger;
  readonly bodyLimit?: number;
}

/** The service's app, built exactly as production builds it, over `database`, with TEST_ENV under `env`. */
export function testApp(
  service: ServiceDefinition,
  database: OpenDatabase,
  env: NodeJS.ProcessEnv = {},
  options: TestAppOptions = {},
): Promise<FastifyInstance> {
  return buildApp(service, { database, env: { ...TEST_ENV, ...env }, ...options });
}

export interface UsedApp {
  readonly app: FastifyInstance;
  readonly database: OpenDatabase;
}

/**
 * The test file's app over its own cloned, migrated database: built in
 * beforeAll, closed in afterAll; the returned object is filled in before the first test.
 */
export function useTestApp(
  service: ServiceDefinition,
  env: NodeJS.ProcessEnv = {},
  options: TestAppOptions = {},
): UsedApp {
  const context = {} as { app: FastifyInstance; database: OpenDatabase };
  beforeAll(async () => {
    context.database = await (await createTestDatabase()).open();
    context.app = await testApp(service, context.database, env, options);
  });
  afterAll(async () => {
    await context.app.close();
    await context.database.close();
  });
  return context;
}

type Method = NonNullable<InjectOptions['method']>;

/** One request; a body is sent as JSON (a string is sent as it is, for malformed JSON). */
export function request(
  app: FastifyInstance,
  method: Method,
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  if (payload === undefined) return app.inject({ method, url, headers });
  return app.inject({
    method,
    url,
    payload: payload as string,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export interface LogSink {
  readonly logger: FastifyBaseLogger;
  readonly lines: string[];
}

/** A pino logger at trace level writing to memory (from a throwaway Fastify: pino comes with it). */
export function logSink(): LogSink {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = Fastify({ logger: { level: 'trace', stream } }).log;
  return { logger, lines };
}
export { describeDocumentResource, type ResourceUnderTest } from './document-resource-contract.js';
