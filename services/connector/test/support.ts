// Shared by the connector tests: keys, an app over a real database, and a log
// sink that keeps every line a run writes.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { buildApp } from '@analytics-engine/http';
import { TEST_ENV } from '@analytics-engine/http/testing';
import type { OpenDatabase } from '@analytics-engine/storage';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { connectorService } from '../src/service.js';

/** A `keyId:base64` entry with a fresh random key. */
export function keyEntry(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

export interface LogSink {
  readonly logger: FastifyBaseLogger;
  readonly lines: string[];
}

/**
 * A pino logger at trace level writing to memory. It comes from a throwaway Fastify
 * instance because pino is not a direct dependency of this package.
 */
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

export function connectorApp(database: OpenDatabase, env: NodeJS.ProcessEnv, logger?: FastifyBaseLogger): Promise<FastifyInstance> {
  return buildApp(connectorService, { database, env: { ...TEST_ENV, ...env }, ...(logger ? { logger } : {}) });
}

/** The guide's "Test Connector Service" body, exactly as written there. */
export const guideBody = `{
    "id": "test-sql-connection",
    "name": "Test SQL Server",
    "type": "sql",
    "connection_string": "Server=localhost;Database=test;",
    "credentials": {
      "username": "testuser",
      "password": "testpass"
    }
  }`;

/** The guide's "Data Persistence Verification" body. */
export const persistBody = '{"id": "persist-test", "name": "Persistence Test", "type": "sql"}';

/** Response bodies, typed for assertions. */
export interface ProfileBody {
  id: string;
  connection_string?: string;
  [field: string]: unknown;
}
export interface PageBody {
  items: ProfileBody[];
  next_cursor: string | null;
}
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details: { path: string; message: string }[];
}
