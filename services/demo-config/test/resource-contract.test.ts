// The shared document-resource contract, run against /demo/clients and /demo/proposals.
import { describeDocumentResource, request, type ResourceUnderTest } from '@analytics-engine/http/testing';
import { beforeAll, expect } from 'vitest';
import { client, useDemoApp } from './support/demo-app.js';

const demo = useDemoApp();
const CLIENT = 'contract-client';
beforeAll(async () => {
  expect((await request(demo.app, 'POST', '/demo/clients', client(CLIENT))).statusCode).toBe(201);
});

/** Both resources of this service; every proposal names the client made above. */
const resources: Omit<ResourceUnderTest, 'app'>[] = [
  {
    path: '/demo/clients',
    keyName: 'client_id',
    noun: 'client',
    tag: 'client configs',
    body: (n) => ({ client_name: `Client ${String(n)}`, license_type: 'professional' }),
    optional: { name: 'preferences', value: { currency: 'EUR', nested: { deep: [1, 'two'] } } },
    required: { name: 'license_type', value: 'enterprise' },
  },
  {
    path: '/demo/proposals',
    keyName: 'proposal_id',
    noun: 'proposal',
    tag: 'service proposals',
    body: () => ({ client_id: CLIENT, proposal_type: 'implementation' }),
    optional: { name: 'resources', value: { consultants: ['Lead'], hours: 40 } },
    required: { name: 'proposal_type', value: 'consulting' },
  },
];

for (const resource of resources) describeDocumentResource({ app: () => demo.app, ...resource });
