// The document-resource plugin's promise: a member added to a document schema
// needs no other edit to be accepted, stored, returned and documented on every
// route; and the merge-patch schema derived from a document.
import { clientConfigSchema } from '@analytics-engine/storage';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { mergePatchOf } from '../src/index.js';
import { probeService } from './support/probe-service.js';
import { request, useTestApp } from './support/testing.js';

/** The guide's client document with one member more: the only edit. */
const withRegion = clientConfigSchema.extend({
  region: z.strictObject({ code: z.string(), zone: z.string().optional() }).optional(),
});

const probeApp = useTestApp(probeService({ description: 'one resource over client_configs', document: withRegion }));

describe('a member added to the document schema', () => {
  it('is accepted, stored, returned and patched on every route', async () => {
    const { app } = probeApp;
    const base = { client_name: 'Acme', license_type: 'basic' };
    const created = await request(app, 'POST', '/things', {
      thing_id: 't1',
      ...base,
      region: { code: 'eu', zone: 'west' },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ region: { code: 'eu', zone: 'west' } });
    expect((await request(app, 'GET', '/things/t1')).json()).toMatchObject({ region: { code: 'eu', zone: 'west' } });
    const listed = (await request(app, 'GET', '/things')).json<{ items: Record<string, unknown>[] }>();
    expect(listed.items.find((item) => item.thing_id === 't1')).toMatchObject({ region: { code: 'eu', zone: 'west' } });
    const patched = await request(app, 'PATCH', '/things/t1', { region: { zone: null } });
    expect(patched.json()).toMatchObject({ region: { code: 'eu' } });
    expect(patched.json<{ region: Record<string, unknown> }>().region).not.toHaveProperty('zone');
    const replaced = await request(app, 'PUT', '/things/t1', { ...base, region: { code: 'us' } });
    expect(replaced.json()).toMatchObject({ region: { code: 'us' } });
    const wrong = await request(app, 'PATCH', '/things/t1', { region: { code: 5 } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json<{ details: { path: string }[] }>().details[0]?.path).toBe('body.region.code');
  });

  it('is documented in the request and response schemas of every route', async () => {
    const { app } = probeApp;
    const document = (await request(app, 'GET', '/docs/json')).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const text = (value: unknown) => JSON.stringify(value);
    const operations = [
      ['/things', 'post'],
      ['/things', 'get'],
      ['/things/{thing_id}', 'get'],
      ['/things/{thing_id}', 'patch'],
      ['/things/{thing_id}', 'put'],
    ] as const;
    for (const [path, method] of operations)
      expect(text(document.paths[path]?.[method]), `${method} ${path}`).toContain('"region"');
  });
});

describe('mergePatchOf', () => {
  const patch = mergePatchOf(
    z.strictObject({
      name: z.string(),
      status: z.enum(['draft', 'sent']).default('draft'),
      note: z.string().optional(),
      nested: z.strictObject({ must: z.number(), may: z.number().optional() }).optional(),
    }),
  );

  it(
    'makes every member optional, nullable only where the document may lack it, recursively, ' + 'and drops defaults',
    () => {
      expect(patch.parse({})).toEqual({});
      expect(patch.parse({ note: null, nested: { may: null } })).toEqual({ note: null, nested: { may: null } });
      expect(patch.safeParse({ name: null }).success).toBe(false);
      expect(patch.safeParse({ nested: { must: null } }).success).toBe(false);
      expect(patch.parse({ nested: {} })).toEqual({ nested: {} });
    },
  );

  it('keeps the strictness of every object', () => {
    expect(patch.safeParse({ other: 1 }).success).toBe(false);
    expect(patch.safeParse({ nested: { other: 1 } }).success).toBe(false);
  });
});
