// /demo/proposals: every route and error path, generated ids, the client
// reference (422 for an unknown client), If-Match, and list filters across pages.
import { describe, expect, it } from 'vitest';
import { request } from '@analytics-engine/http/testing';
import { client, detailPaths, listAll, proposal, useDemoApp } from './support/demo-app.js';
import * as check from './support/expectations.js';

const demo = useDemoApp({ bodyLimit: 4096 });

const createClient = async (id: string) => {
  expect((await request(demo.app, 'POST', '/demo/clients', client(id))).statusCode).toBe(201);
};
const post = (body: unknown) => request(demo.app, 'POST', '/demo/proposals', body);
const get = (id: string) => request(demo.app, 'GET', `/demo/proposals/${encodeURIComponent(id)}`);

const full = {
  proposal_type: 'implementation',
  pricing: { total: 48000, breakdown: { licenses: 18000, implementation: 24000, training: 6000 } },
  timeline: { start_date: '2026-01-05', end_date: '2026-03-27', phases: [{ name: 'Discovery' }] },
  resources: { consultants: ['Lead'], hours: 320 },
  status: 'draft',
};

describe('POST /demo/proposals', () => {
  it('creates a full proposal with the flat shape, a Location and an ETag', async () => {
    await createClient('pc-full');
    const created = await post({ proposal_id: 'p-full', client_id: 'pc-full', ...full });
    expect(created.statusCode).toBe(201);
    expect(created.headers.location).toBe('/demo/proposals/p-full');
    expect(created.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(created.json()).toEqual({
      proposal_id: 'p-full',
      client_id: 'pc-full',
      ...full,
      created_at: expect.any(String),
    });
    const read = await get('p-full');
    expect(read.json()).toEqual(created.json());
    expect(read.headers.etag).toBe(created.headers.etag);
  });

  it('generates a readable unique proposal_id when absent, and defaults status to draft', async () => {
    await createClient('pc-gen');
    const created = await Promise.all(Array.from({ length: 10 }, () => post(proposal(undefined, 'pc-gen'))));
    const ids = created.map((response) => {
      expect(response.statusCode).toBe(201);
      return response.json().proposal_id as string;
    });
    const today = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    for (const id of ids) expect(id).toMatch(new RegExp(`^prop-(${today}|\\d{8})-[0-9a-f]{6}$`));
    expect(new Set(ids).size).toBe(10);
    expect(created[0]!.json().status).toBe('draft');
    expect(created[0]!.headers.location).toBe(`/demo/proposals/${ids[0]!}`);
    expect((await get(ids[0]!)).statusCode).toBe(200);
  });

  it('answers 422 UNKNOWN_CLIENT for a client_id that names no client, and stores nothing', async () => {
    check.error(await post(proposal('p-orphan', 'pc-nobody')), 422, {
      code: 'UNKNOWN_CLIENT',
      message: "client_id 'pc-nobody' names no client: create it with POST /demo/clients first",
      details: [{ path: 'body.client_id', message: 'names no client' }],
    });
    expect((await get('p-orphan')).statusCode).toBe(404);
  });

  it('answers 409 for a taken proposal_id', async () => {
    await createClient('pc-dup');
    expect((await post(proposal('p-dup', 'pc-dup'))).statusCode).toBe(201);
    const duplicate = await post(proposal('p-dup', 'pc-dup', { proposal_type: 'consulting' }));
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().code).toBe('ALREADY_EXISTS');
    expect((await get('p-dup')).json().proposal_type).toBe('implementation');
  });

  it('answers 400 with field paths, for malformed JSON, a long id and \\u0000; 415 and 413', async () => {
    await createClient('pc-bad');
    const invalid = await post({
      proposal_id: 'p-bad',
      client_id: 'pc-bad',
      proposal_type: 'audit',
      status: 'won',
      timeline: { start_date: '2026-02-30' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().code).toBe('VALIDATION_FAILED');
    expect(detailPaths(invalid)).toEqual(['body.proposal_type', 'body.status', 'body.timeline.start_date']);
    expect(detailPaths(await post({ proposal_id: 'p-bad' }))).toEqual(['body.client_id', 'body.proposal_type']);
    expect((await post({ ...proposal('p-bad', 'pc-bad'), unknown: true })).statusCode).toBe(400);

    await check.jsonOnly(demo.app, '/demo/proposals');
    const large = await post(
      proposal('p-large', 'pc-bad', { timeline: { phases: Array.from({ length: 1000 }, (_, i) => `phase ${i}`) } }),
    );
    expect(large.statusCode).toBe(413);

    check.invalid(await post(proposal('p'.repeat(256), 'pc-bad')), 'body.proposal_id');
    check.invalid(await get('p'.repeat(256)), 'params.proposal_id');
    check.invalid(
      await post(proposal('p-nul', 'pc-bad', { timeline: { phases: ['a\u0000'] } })),
      'body.timeline.phases.0',
    );
    check.invalid(await post(proposal('p-nul', 'pc\u0000bad')), 'body.client_id');
    expect((await get('p-nul')).statusCode).toBe(404);
  });
});

describe('GET /demo/proposals/:proposal_id', () => {
  it('answers 404 for an unknown proposal', async () => {
    const response = await get('p-missing');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'NOT_FOUND', message: "proposal 'p-missing' does not exist" });
  });
});

describe('PATCH, PUT and DELETE /demo/proposals/:proposal_id', () => {
  it('merge-patches and keeps created_at', async () => {
    await createClient('pc-patch');
    const created = await post({ proposal_id: 'p-patch', client_id: 'pc-patch', ...full });
    const patch = { proposal_type: 'consulting', timeline: { phases: null }, resources: { hours: 400 }, pricing: null };
    await check.mergePatch(demo.app, '/demo/proposals/p-patch', created, patch, {
      ...proposal('p-patch', 'pc-patch', { proposal_type: 'consulting', status: 'draft' }),
      timeline: { start_date: '2026-01-05', end_date: '2026-03-27' },
      resources: { consultants: ['Lead'], hours: 400 },
    });
  });

  it('moves a proposal to another client only if that client exists', async () => {
    await createClient('pc-move-a');
    await createClient('pc-move-b');
    await post(proposal('p-move', 'pc-move-a'));
    const unknown = await request(demo.app, 'PATCH', '/demo/proposals/p-move', { client_id: 'pc-move-nobody' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().code).toBe('UNKNOWN_CLIENT');
    const moved = await request(demo.app, 'PATCH', '/demo/proposals/p-move', { client_id: 'pc-move-b' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().client_id).toBe('pc-move-b');
    const putUnknown = await request(demo.app, 'PUT', '/demo/proposals/p-move', {
      client_id: 'pc-move-nobody',
      proposal_type: 'consulting',
    });
    expect(putUnknown.statusCode).toBe(422);
    expect((await request(demo.app, 'DELETE', '/demo/clients/pc-move-a')).statusCode).toBe(204);
    expect((await request(demo.app, 'DELETE', '/demo/clients/pc-move-b')).statusCode).toBe(409);
  });

  it('replaces with PUT: fields left out are removed', async () => {
    await createClient('pc-put');
    await post({ proposal_id: 'p-put', client_id: 'pc-put', ...full });
    const consulting = { proposal_type: 'consulting' };
    const replaced = await request(demo.app, 'PUT', '/demo/proposals/p-put', proposal('p-put', 'pc-put', consulting));
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toEqual({
      proposal_id: 'p-put',
      client_id: 'pc-put',
      proposal_type: 'consulting',
      status: 'draft',
      created_at: expect.any(String),
    });
    const otherId = await request(demo.app, 'PUT', '/demo/proposals/p-put', proposal('p-other', 'pc-put', consulting));
    check.invalid(otherId, 'body.proposal_id', 'must equal the proposal_id in the path');
    check.invalid(
      await request(demo.app, 'PUT', '/demo/proposals/p-put', { client_id: 'pc-put' }),
      'body.proposal_type',
    );
  });

  it('answers 404 for PATCH, PUT and DELETE of an unknown proposal', async () => {
    await createClient('pc-404');
    expect((await request(demo.app, 'PATCH', '/demo/proposals/p-nobody', { status: 'sent' })).statusCode).toBe(404);
    expect((await request(demo.app, 'PATCH', '/demo/proposals/p-nobody', { client_id: 'pc-nobody' })).statusCode).toBe(
      404,
    );
    expect((await request(demo.app, 'PUT', '/demo/proposals/p-nobody', proposal(undefined, 'pc-404'))).statusCode).toBe(
      404,
    );
    expect((await request(demo.app, 'DELETE', '/demo/proposals/p-nobody')).statusCode).toBe(404);
  });

  it('honours If-Match on PATCH, PUT and DELETE: 412 when stale', async () => {
    await createClient('pc-etag');
    const created = await post(proposal('p-etag', 'pc-etag'));
    await check.ifMatch(demo.app, '/demo/proposals/p-etag', created.headers.etag as string, {
      patches: [{ proposal_type: 'consulting' }, { status: 'sent' }],
      put: proposal(undefined, 'pc-etag', { status: 'sent' }),
      unchanged: async () => {
        expect((await get('p-etag')).json()).toMatchObject({ proposal_type: 'consulting', status: 'draft' });
      },
    });
  });
});

describe('GET /demo/proposals', () => {
  it('returns exactly the matching proposals across pages, newest first, for every filter', async () => {
    await createClient('pl-a');
    await createClient('pl-b');
    const statuses = ['draft', 'sent'] as const;
    const made: { id: string; client: string; type: string; status: string }[] = [];
    for (let i = 0; i < 24; i++) {
      const row = {
        id: `pl-${String(i).padStart(2, '0')}`,
        client: i % 3 === 0 ? 'pl-a' : 'pl-b',
        type: i % 2 === 0 ? 'implementation' : 'consulting',
        status: statuses[i % 4 === 1 ? 1 : 0],
      };
      const response = await post(proposal(row.id, row.client, { proposal_type: row.type, status: row.status }));
      expect(response.statusCode).toBe(201);
      made.push(row);
    }
    const expected = (keep: (row: (typeof made)[number]) => boolean) =>
      made
        .filter(keep)
        .map((row) => row.id)
        .reverse();
    const ids = (items: Record<string, unknown>[]) => items.map((item) => item.proposal_id);

    const byClient = await listAll(demo.app, '/demo/proposals', { client_id: 'pl-a' }, 3);
    expect(ids(byClient.items)).toEqual(expected((row) => row.client === 'pl-a'));
    expect(byClient.pages.length).toBeGreaterThan(2);
    const byStatus = await listAll(demo.app, '/demo/proposals', { client_id: 'pl-b', status: 'sent' }, 2);
    expect(ids(byStatus.items)).toEqual(expected((row) => row.client === 'pl-b' && row.status === 'sent'));
    const byType = await listAll(demo.app, '/demo/proposals', { proposal_type: 'consulting', client_id: 'pl-b' }, 4);
    expect(ids(byType.items)).toEqual(expected((row) => row.client === 'pl-b' && row.type === 'consulting'));
    const everything = await listAll(demo.app, '/demo/proposals', {}, 5);
    const mine = everything.items.filter((item) => String(item.proposal_id).startsWith('pl-'));
    expect(ids(mine)).toEqual(expected(() => true));

    const first = (await get('pl-05')).json();
    const last = (await get('pl-09')).json();
    const between = await listAll(
      demo.app,
      '/demo/proposals',
      { created_after: first.created_at, created_before: last.created_at },
      2,
    );
    expect(ids(between.items)).toEqual(['pl-08', 'pl-07', 'pl-06']);
  });

  it('answers 400 for invalid filters', async () => {
    await check.badQueries(demo.app, '/demo/proposals', [
      'status=won',
      'proposal_type=audit',
      'client_id=',
      `client_id=${'c'.repeat(256)}`,
      'client_id=a%00b',
      'limit=-1',
      'created_before=2026-13-01',
      'cursor=%%%',
    ]);
  });
});
