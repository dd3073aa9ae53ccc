// What the takeover of a Python-era database asks of /demo/clients and
// /demo/proposals: the platform's members are first-class; a member no schema
// names is a 400 naming its path at any depth (pricing, timeline, resources are
// strict), while the open objects keep any JSON; a row the Python service wrote
// without a required member is returned and listed with needs_completion, by
// the compiled serializer (clients) and by zod's (proposals) alike.
import { request, testApp } from '@analytics-engine/http/testing';
import type { OpenDatabase } from '@analytics-engine/storage';
import { createTestDatabase, withClient, type TestDatabase } from '@analytics-engine/storage/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSerializer } from '../../../packages/http/src/serializer.js';
import { resourceSchemas } from '../../../packages/http/src/document-resource/resource-schemas.js';
import { clientResource } from '../src/client-resource.js';
import { demoConfigService } from '../src/service.js';
import { client } from './support/demo-app.js';

// Its own database, as the rows the Python service wrote go in with SQL.
const demo = {} as { test: TestDatabase; database: OpenDatabase; app: FastifyInstance };
const CLIENT = 'members-client';
beforeAll(async () => {
  demo.test = await createTestDatabase();
  demo.database = await demo.test.open();
  demo.app = await testApp(demoConfigService, demo.database);
  expect((await request(demo.app, 'POST', '/demo/clients', client(CLIENT))).statusCode).toBe(201);
});
afterAll(async () => {
  await demo.app.close();
  await demo.database.close();
});

type Json = Record<string, unknown>;
const details = (body: string) =>
  (JSON.parse(body) as { details: { path: string; message: string }[] }).details.map((d) => `${d.path}: ${d.message}`);
const open = { anything: [1, 'two', { deep: [null, true] }], 'odd key': { '': 0 } };

describe('members no schema names', () => {
  it.each([
    ['pricing', { total: 10, currency: 'EUR' }, 'body.pricing: Unrecognized key: "currency"'],
    [
      'timeline',
      { start_date: '2026-01-05', milestones: ['kick-off'] },
      'body.timeline: Unrecognized key: "milestones"',
    ],
    ['resources', { hours: 4, roles: { lead: 1 } }, 'body.resources: Unrecognized key: "roles"'],
  ])(
    'inside %s are a 400 naming them, on create, replace and patch; nothing is stored',
    async (member, value, detail) => {
      const body = {
        proposal_id: `strict-${member}`,
        client_id: CLIENT,
        proposal_type: 'implementation',
        [member]: value,
      };
      const created = await request(demo.app, 'POST', '/demo/proposals', body);
      expect(created.statusCode).toBe(400);
      expect(details(created.body)).toContain(detail);
      expect((await request(demo.app, 'GET', `/demo/proposals/strict-${member}`)).statusCode).toBe(404);
      const { proposal_id: _id, [member]: _member, ...valid } = body;
      expect(
        (await request(demo.app, 'POST', '/demo/proposals', { proposal_id: `strict-${member}`, ...valid })).statusCode,
      ).toBe(201);
      for (const method of ['PUT', 'PATCH'] as const) {
        const changed = await request(demo.app, method, `/demo/proposals/strict-${member}`, {
          ...(method === 'PUT' ? valid : {}),
          [member]: value,
        });
        expect(changed.statusCode, method).toBe(400);
        expect(details(changed.body), method).toContain(detail);
      }
    },
  );
});

describe('the open objects and the platform members', () => {
  it('keep whatever JSON they are sent, through create, read, list and replace', async () => {
    const proposal = {
      client_id: CLIENT,
      proposal_type: 'implementation',
      pricing: { total: 10, breakdown: { note: 'not all numbers', ...open } },
      timeline: { start_date: '2026-01-05', phases: [open, 'two'], weeks: 3 },
      resources: { consultants: [open], hours: 8 },
      required_objects: ['Customer', 'Order'],
      integration_method: 'batch',
      estimate: { kpi_count: 2, ...open },
      legacy: { created_at: '2025-12-22T10:00:00', ...open },
      status: 'draft',
    };
    const created = await request(demo.app, 'POST', '/demo/proposals', { proposal_id: 'open-proposal', ...proposal });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject(proposal);
    expect((await request(demo.app, 'GET', '/demo/proposals/open-proposal')).json()).toEqual(created.json());
    const listed = (await request(demo.app, 'GET', `/demo/proposals?client_id=${CLIENT}&limit=500`)).json<{
      items: Json[];
    }>();
    expect(listed.items.find((item) => item.proposal_id === 'open-proposal')).toEqual(created.json());

    const config = {
      client_name: 'Open Ltd',
      license_type: 'enterprise',
      preferences: open,
      custom_kpis: [open],
      data_sources: [open, 'erp-db'],
      selected_kpis: ['POF', 'OTD'],
      deployment_config: open,
      license_key: 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln',
      license_expiration: '2026-12-31T00:00:00',
      legacy: open,
    };
    const client = await request(demo.app, 'POST', '/demo/clients', { client_id: 'open-client', ...config });
    expect(client.statusCode, client.body).toBe(201);
    expect(client.json()).toMatchObject(config);
    const replaced = await request(demo.app, 'PUT', '/demo/clients/open-client', {
      ...config,
      license_key: null,
      license_expiration: '2027-01-01T00:00:00Z',
    });
    expect(replaced.json()).toMatchObject({
      license_key: null,
      license_expiration: '2027-01-01T00:00:00Z',
      deployment_config: open,
    });
    expect(
      (await request(demo.app, 'POST', '/demo/clients', { client_id: 'bad-kpis', ...config, selected_kpis: [1] }))
        .statusCode,
    ).toBe(400);
  });
});

describe('a row the Python service wrote without a required member', () => {
  beforeAll(async () => {
    const insert = (table: string, key: string, id: string, data: Json) =>
      withClient(demo.test.url, (connection) =>
        connection.query(
          `insert into ${table} (${key}, ${table === 'client_configs' ? 'config_data' : 'proposal_data'}) values ` +
            `($1, $2)`,
          [id, JSON.stringify(data)],
        ),
      );
    await insert('client_configs', 'client_id', 'py-acme', {
      id: 'u',
      client_id: 'py-acme',
      client_name: 'Acme',
      selected_kpis: ['POF'],
      license_key: null,
    });
    await insert('service_proposals', 'proposal_id', 'py-prop', {
      id: 'py-prop',
      client_id: 'py-acme',
      estimated_cost: 2400.0,
      status: 'signed',
    });
  });

  it('is returned and listed, with needs_completion naming what a write must add', async () => {
    const read = await request(demo.app, 'GET', '/demo/clients/py-acme');
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toEqual({
      client_id: 'py-acme',
      client_name: 'Acme',
      selected_kpis: ['POF'],
      license_key: null,
      legacy: { id: 'u' },
      needs_completion: ['license_type'],
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const proposal = await request(demo.app, 'GET', '/demo/proposals/py-prop');
    expect(proposal.statusCode, proposal.body).toBe(200);
    expect(proposal.json()).toEqual({
      proposal_id: 'py-prop',
      client_id: 'py-acme',
      status: 'accepted',
      pricing: { total: 2400 },
      needs_completion: ['proposal_type'],
      created_at: expect.any(String),
    });
    const clients = (await request(demo.app, 'GET', '/demo/clients?limit=500')).json<{ items: Json[] }>();
    expect(clients.items.find((item) => item.client_id === 'py-acme')).toEqual(read.json());
    const proposals = (await request(demo.app, 'GET', '/demo/proposals?client_id=py-acme')).json<{ items: Json[] }>();
    expect(proposals.items).toEqual([proposal.json()]);
  });

  it('is completed by a write that adds the member, and needs_completion goes', async () => {
    const incomplete = await request(demo.app, 'PATCH', '/demo/clients/py-acme', { client_name: 'Acme AG' });
    expect(incomplete.statusCode).toBe(400);
    expect(details(incomplete.body)[0]).toMatch(/^body\.license_type: /);
    const completed = await request(demo.app, 'PATCH', '/demo/clients/py-acme', { license_type: 'professional' });
    expect(completed.statusCode, completed.body).toBe(200);
    expect(completed.json()).not.toHaveProperty('needs_completion');
    const proposal = await request(demo.app, 'PATCH', '/demo/proposals/py-prop', { proposal_type: 'implementation' });
    expect(proposal.statusCode, proposal.body).toBe(200);
    expect(proposal.json()).toMatchObject({
      proposal_type: 'implementation',
      status: 'accepted',
      pricing: { total: 2400 },
    });
    expect(proposal.json()).not.toHaveProperty('needs_completion');
  });

  it('goes out through the compiled serializer with needs_completion and legacy, and both are documented', async () => {
    const { response } = resourceSchemas(clientResource);
    const compiled = compileSerializer(response, (value) => JSON.stringify(value));
    expect(compiled).toBeDefined();
    const row = {
      client_id: 'c',
      client_name: 'A',
      legacy: { any: [1] },
      needs_completion: ['license_type'],
      created_at: null,
      updated_at: null,
    };
    expect(JSON.parse(compiled?.(row) ?? '{}')).toEqual(row);
    const spec = (await request(demo.app, 'GET', '/docs/json')).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    for (const path of ['/demo/clients/{client_id}', '/demo/proposals/{proposal_id}']) {
      const text = JSON.stringify(spec.paths[path]?.get);
      expect(text, path).toContain('"needs_completion"');
      expect(text, path).toContain('"legacy"');
    }
  });
});
