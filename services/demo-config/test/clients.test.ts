// /demo/clients: every route, every error path, list filters across pages, and
// the delete rule (409 while proposals name the client, unless cascade=true).
import { createServiceProposalRepository } from '@analytics-engine/storage';
import { describe, expect, it } from 'vitest';
import { request } from '@analytics-engine/http/testing';
import { client, detailPaths, listAll, proposal, useDemoApp } from './support/demo-app.js';
import * as check from './support/expectations.js';

const demo = useDemoApp({ bodyLimit: 4096 });

const post = (body: unknown, headers: Record<string, string> = {}) =>
  request(demo.app, 'POST', '/demo/clients', body, headers);
const get = (id: string) => request(demo.app, 'GET', `/demo/clients/${encodeURIComponent(id)}`);

describe('POST /demo/clients', () => {
  it('creates a client with every field and answers 409 for a taken client_id', async () => {
    const body = client('c-create', {
      preferences: { currency: 'EUR', nested: { a: 1 } },
      custom_kpis: [{ name: 'OTD' }],
      data_sources: ['src-1'],
    });
    const created = await post(body);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject(body);
    expect(created.headers.location).toBe('/demo/clients/c-create');

    const duplicate = await post({ ...body, client_name: 'Other' });
    check.error(duplicate, 409, { code: 'ALREADY_EXISTS', message: expect.stringContaining('c-create') });
    expect((await get('c-create')).json().client_name).toBe('Client c-create');
  });

  it('answers 400 naming each invalid field', async () => {
    const response = await post({
      client_id: 'c-invalid',
      client_name: '',
      license_type: 'gold',
      modules: 'SCOR',
      extra: 1,
    });
    check.error(response, 400, {
      error: 'Bad Request',
      code: 'VALIDATION_FAILED',
      requestId: response.headers['x-request-id'],
    });
    expect(detailPaths(response)).toEqual(['body', 'body.client_name', 'body.license_type', 'body.modules'].sort());
    expect((await post({ client_name: 'No id', license_type: 'basic' })).json().details[0].path).toBe('body.client_id');
    expect((await get('c-invalid')).statusCode).toBe(404);
  });

  it('answers 400 for malformed JSON, 415 for text/plain and 413 for a body over the limit', async () => {
    await check.jsonOnly(demo.app, '/demo/clients');
    const large = await post(client('c-large', { modules: Array.from({ length: 1000 }, (_, i) => `module-${i}`) }));
    expect(large.statusCode).toBe(413);
    expect(large.json()).toMatchObject({ code: 'BODY_TOO_LARGE' });
  });

  it('answers 400, never 500, for a 256-character id and for \\u0000 anywhere', async () => {
    const long = await post(client('x'.repeat(256), { client_name: 'Long id' }));
    expect(long.statusCode).toBe(400);
    expect(long.json().details[0]).toEqual({ path: 'body.client_id', message: 'must be at most 255 characters' });
    expect((await post(client('y'.repeat(255), { client_name: 'Longest id' }))).statusCode).toBe(201);
    expect((await get('y'.repeat(255))).statusCode).toBe(200);
    check.invalid(await get('x'.repeat(256)), 'params.client_id');

    check.invalid(await post(client('nul\u0000id')), 'body.client_id');
    check.invalid(await post(client('c-nul', { client_name: 'a\u0000b' })), 'body.client_name');
    check.invalid(
      await post(client('c-nul', { preferences: { deep: ['ok', 'b\u0000d'] } })),
      'body.preferences.deep.1',
    );
    expect((await post(client('c-nul', { preferences: { 'k\u0000': 1 } }))).statusCode).toBe(400);
    check.invalid(await request(demo.app, 'GET', '/demo/clients?module=a%00b'), 'query.module');
    expect((await get('c-nul')).statusCode).toBe(404);
  });
});

describe('GET /demo/clients/:client_id', () => {
  it('answers 404 with the error shape for an unknown client', async () => {
    const message = "client 'c-missing' does not exist";
    check.error(await get('c-missing'), 404, { error: 'Not Found', code: 'NOT_FOUND', message });
  });

  it('reads ids that need percent-encoding', async () => {
    expect((await post(client('acme/emea 1'))).headers.location).toBe('/demo/clients/acme%2Femea%201');
    const read = await get('acme/emea 1');
    expect(read.statusCode).toBe(200);
    expect(read.json().client_id).toBe('acme/emea 1');
  });
});

describe('PATCH and PUT /demo/clients/:client_id', () => {
  it('merge-patches: absent keeps, null removes, a value replaces, objects merge', async () => {
    const created = await post(
      client('c-patch', { preferences: { currency: 'EUR', timezone: 'UTC' }, data_sources: ['a'] }),
    );
    const patch = { license_type: 'enterprise', preferences: { currency: 'USD', timezone: null }, data_sources: null };
    const patched = await check.mergePatch(demo.app, '/demo/clients/c-patch', created, patch, {
      ...client('c-patch', { license_type: 'enterprise', preferences: { currency: 'USD' } }),
      updated_at: expect.any(String),
    });
    expect(patched.json().updated_at > created.json().updated_at).toBe(true);
    expect((await get('c-patch')).headers.etag).toBe(patched.headers.etag);
  });

  it(
    'rejects invalid patches: a required field set to null, an unknown field, another client_id, an unknown ' +
      'client',
    async () => {
      await post(client('c-patch-bad'));
      const nulled = await request(demo.app, 'PATCH', '/demo/clients/c-patch-bad', { client_name: null });
      check.invalid(nulled, 'body.client_name');
      const unknown = await request(demo.app, 'PATCH', '/demo/clients/c-patch-bad', { licence_type: 'basic' });
      expect(unknown.statusCode).toBe(400);
      const otherId = { client_id: 'c-other', client_name: 'x' };
      const refused = await request(demo.app, 'PATCH', '/demo/clients/c-patch-bad', otherId);
      check.invalid(refused, 'body.client_id', 'must equal the client_id in the path');
      expect(
        (
          await request(demo.app, 'PATCH', '/demo/clients/c-patch-bad', {
            client_id: 'c-patch-bad',
            client_name: 'Same id',
          })
        ).statusCode,
      ).toBe(200);
      expect((await request(demo.app, 'PATCH', '/demo/clients/c-nobody', { client_name: 'x' })).statusCode).toBe(404);
      expect(
        (await request(demo.app, 'PUT', '/demo/clients/c-nobody', { client_name: 'x', license_type: 'basic' }))
          .statusCode,
      ).toBe(404);
    },
  );

  it('replaces the whole config with PUT: fields left out are removed', async () => {
    await post(client('c-put', { preferences: { currency: 'EUR' } }));
    const replaced = await request(demo.app, 'PUT', '/demo/clients/c-put', {
      client_name: 'Replaced',
      license_type: 'basic',
    });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toEqual({
      client_id: 'c-put',
      client_name: 'Replaced',
      license_type: 'basic',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const missing = await request(demo.app, 'PUT', '/demo/clients/c-put', { client_name: 'Missing license' });
    check.invalid(missing, 'body.license_type');
    expect(
      (
        await request(demo.app, 'PUT', '/demo/clients/c-put', {
          client_id: 'c-else',
          client_name: 'x',
          license_type: 'basic',
        })
      ).statusCode,
    ).toBe(400);
  });

  it('honours If-Match on PATCH, PUT and DELETE: 412 when stale, and nothing changes', async () => {
    const created = await post(client('c-etag'));
    await check.ifMatch(demo.app, '/demo/clients/c-etag', created.headers.etag as string, {
      patches: [{ client_name: 'First' }, { client_name: 'Second' }],
      put: { client_name: 'Put', license_type: 'basic' },
      unchanged: async () => {
        expect((await get('c-etag')).json().client_name).toBe('First');
      },
    });
  });

  it('lets exactly one of two racing writers with the same ETag win', async () => {
    const created = await post(client('c-race'));
    const etag = created.headers.etag as string;
    const results = await Promise.all(
      ['A', 'B'].map((name) =>
        request(demo.app, 'PATCH', '/demo/clients/c-race', { client_name: name }, { 'if-match': etag }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 412]);
  });
});

describe('DELETE /demo/clients/:client_id', () => {
  it('deletes a client without proposals (204), then 404', async () => {
    await post(client('c-delete'));
    const deleted = await request(demo.app, 'DELETE', '/demo/clients/c-delete');
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect((await get('c-delete')).statusCode).toBe(404);
    expect((await request(demo.app, 'DELETE', '/demo/clients/c-delete')).statusCode).toBe(404);
  });

  it(
    'answers 409 while proposals name the client, and with cascade=true deletes the client and its proposals ' +
      'together',
    async () => {
      await post(client('c-owner'));
      await post(client('c-bystander'));
      for (const id of ['p-own-1', 'p-own-2', 'p-own-3']) {
        expect((await request(demo.app, 'POST', '/demo/proposals', proposal(id, 'c-owner'))).statusCode).toBe(201);
      }
      expect(
        (await request(demo.app, 'POST', '/demo/proposals', proposal('p-bystander', 'c-bystander'))).statusCode,
      ).toBe(201);

      const refused = await request(demo.app, 'DELETE', '/demo/clients/c-owner');
      check.error(refused, 409, { code: 'CLIENT_HAS_PROPOSALS', message: expect.stringContaining('cascade=true') });
      expect((await get('c-owner')).statusCode).toBe(200);
      expect((await request(demo.app, 'DELETE', '/demo/clients/c-owner?cascade=false')).statusCode).toBe(409);
      expect((await request(demo.app, 'DELETE', '/demo/clients/c-owner?cascade=yes')).statusCode).toBe(400);

      const cascaded = await request(demo.app, 'DELETE', '/demo/clients/c-owner?cascade=true');
      expect(cascaded.statusCode).toBe(204);
      expect((await get('c-owner')).statusCode).toBe(404);
      for (const id of ['p-own-1', 'p-own-2', 'p-own-3']) {
        expect((await request(demo.app, 'GET', `/demo/proposals/${id}`)).statusCode).toBe(404);
      }
      expect((await request(demo.app, 'GET', '/demo/proposals/p-bystander')).statusCode).toBe(200);
      expect((await request(demo.app, 'DELETE', '/demo/clients/c-bystander?cascade=true')).statusCode).toBe(204);
    },
  );

  it('cascades over more proposals than one page', async () => {
    await post(client('c-many'));
    const proposals = createServiceProposalRepository(demo.database.db);
    for (let batch = 0; batch < 520; batch += 40) {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          proposals.create(`p-many-${batch + i}`, { client_id: 'c-many', proposal_type: 'consulting' }),
        ),
      );
    }
    expect((await request(demo.app, 'DELETE', '/demo/clients/c-many?cascade=true')).statusCode).toBe(204);
    const left = await request(demo.app, 'GET', '/demo/proposals?client_id=c-many');
    expect(left.json().items).toEqual([]);
  });

  it('never leaves a proposal naming a deleted client when creates race a delete', async () => {
    for (let round = 0; round < 10; round++) {
      const clientId = `c-race-del-${round}`;
      await post(client(clientId));
      const [created, deleted] = await Promise.all([
        request(demo.app, 'POST', '/demo/proposals', proposal(`p-race-del-${round}`, clientId)),
        request(demo.app, 'DELETE', `/demo/clients/${clientId}`),
      ]);
      if (created.statusCode === 201) {
        // The proposal committed first: the delete saw it.
        expect(deleted.statusCode).toBe(409);
        expect((await get(clientId)).statusCode).toBe(200);
      } else {
        expect(created.statusCode).toBe(422);
        expect(created.json().code).toBe('UNKNOWN_CLIENT');
        expect(deleted.statusCode).toBe(204);
      }
    }
  });
});

describe('GET /demo/clients', () => {
  it('returns exactly the matching clients across pages, newest first', async () => {
    const licenses = ['basic', 'professional', 'enterprise'] as const;
    const ids: { id: string; license: string; modules: string[] }[] = [];
    for (let i = 0; i < 23; i++) {
      const license = licenses[i % 3]!;
      const modules = i % 2 === 0 ? ['SCOR', 'FILTER-BI'] : ['CRM'];
      await post(
        client(`c-list-${String(i).padStart(2, '0')}`, {
          license_type: license,
          modules,
          preferences: { tag: 'list' },
        }),
      );
      ids.push({ id: `c-list-${String(i).padStart(2, '0')}`, license, modules });
    }
    const mine = (items: Record<string, unknown>[]) =>
      items.filter((item) => String(item.client_id).startsWith('c-list-')).map((item) => item.client_id);

    const all = await listAll(demo.app, '/demo/clients', {}, 4);
    expect(mine(all.items)).toEqual(ids.map((c) => c.id).reverse());
    expect(new Set(all.items.map((item) => item.client_id)).size).toBe(all.items.length);

    const enterprise = await listAll(demo.app, '/demo/clients', { license_type: 'enterprise' }, 3);
    expect(enterprise.items.every((item) => item.license_type === 'enterprise')).toBe(true);
    expect(mine(enterprise.items)).toEqual(
      ids
        .filter((c) => c.license === 'enterprise')
        .map((c) => c.id)
        .reverse(),
    );
    expect(enterprise.pages.length).toBeGreaterThan(1);

    const bi = await listAll(demo.app, '/demo/clients', { module: 'FILTER-BI' }, 5);
    expect(bi.items.map((item) => item.client_id)).toEqual(
      ids
        .filter((c) => c.modules.includes('FILTER-BI'))
        .map((c) => c.id)
        .reverse(),
    );

    const both = await listAll(demo.app, '/demo/clients', { module: 'FILTER-BI', license_type: 'basic' }, 2);
    expect(both.items.map((item) => item.client_id)).toEqual(
      ids
        .filter((c) => c.modules.includes('FILTER-BI') && c.license === 'basic')
        .map((c) => c.id)
        .reverse(),
    );
  });

  it('filters by created_after and created_before', async () => {
    const first = (await post(client('c-time-1'))).json();
    const second = (await post(client('c-time-2'))).json();
    const third = (await post(client('c-time-3'))).json();
    const between = await listAll(
      demo.app,
      '/demo/clients',
      { created_after: first.created_at, created_before: third.created_at },
      1,
    );
    expect(between.items.map((item) => item.client_id)).toEqual([second.client_id]);
    const after = await listAll(demo.app, '/demo/clients', { created_after: second.created_at }, 50);
    expect(after.items.map((item) => item.client_id)).toEqual(['c-time-3']);
  });

  it('answers 400 for invalid page parameters and filters', async () => {
    await check.badQueries(
      demo.app,
      '/demo/clients',
      [
        'limit=0',
        'limit=501',
        'limit=abc',
        'cursor=not-a-cursor',
        'license_type=gold',
        'created_after=yesterday',
        'module=',
      ],
      /^query\.(limit|cursor|license_type|created_after|module)$/,
    );
    expect((await request(demo.app, 'GET', '/demo/clients?cursor=not-a-cursor')).json().code).toBe('INVALID_CURSOR');
  });
});
