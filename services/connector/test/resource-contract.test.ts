// The shared document-resource contract, run against /connector/profiles.
import { describeDocumentResource, testApp } from '@analytics-engine/http/testing';
import type { OpenDatabase } from '@analytics-engine/storage';
import { createTestDatabase } from '@analytics-engine/storage/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { connectorService } from '../src/service.js';
import { keyEntry } from './support.js';

let database: OpenDatabase;
let app: FastifyInstance;
beforeAll(async () => {
  database = await (await createTestDatabase()).open();
  app = await testApp(connectorService, database, { CONNECTOR_ENCRYPTION_KEYS: keyEntry('k1') });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describeDocumentResource({
  app: () => app,
  path: '/connector/profiles',
  keyName: 'id',
  noun: 'profile',
  tag: 'connector profiles',
  body: (n) => ({ name: `Profile ${String(n)}`, type: 'sql' }),
  optional: { name: 'schema_info', value: { tables: ['orders'], columns: { orders: ['id'] } } },
  required: { name: 'type', value: 'api' },
});
