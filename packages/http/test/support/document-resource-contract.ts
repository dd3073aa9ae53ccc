// The HTTP contract every document resource keeps (create with Location and
// ETag, get, cursor lists newest first, merge-patch, replace, delete, If-Match,
// the error body, OpenAPI), written once and run against each resource; each
// service's own tests cover only what is its own.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { request } from './testing.js';

export interface ResourceUnderTest {
  /** The app, built in the test file's beforeAll. */
  readonly app: () => FastifyInstance;
  readonly path: string;
  readonly keyName: string;
  /** How messages name one item, e.g. "client". */
  readonly noun: string;
  /** The OpenAPI tag its routes carry. */
  readonly tag: string;
  /** A valid create body without the key; `n` makes bodies differ. */
  readonly body: (n: number) => Record<string, unknown>;
  /** A member the document may lack, and a value for it: PATCH null removes it, PUT without it drops it. */
  readonly optional: { readonly name: string; readonly value: unknown };
  /** A required member and another valid value for it. */
  readonly required: { readonly name: string; readonly value: unknown };
}

type Json = Record<string, unknown>;

export function describeDocumentResource(resource: ResourceUnderTest): void {
  const { path, keyName, noun } = resource;
  let sequence = 0;
  const nextKey = () => `contract-${noun.replace(/\W/g, '')}-${String(++sequence)}`;
  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => request(resource.app(), method, url, body, headers);
  const itemUrl = (key: string) => `${path}/${encodeURIComponent(key)}`;
  const create = async (extra: Json = {}) => {
    const key = nextKey();
    const response = await call('POST', path, { [keyName]: key, ...resource.body(sequence), ...extra });
    expect(response.statusCode, response.body).toBe(201);
    return { key, response, item: response.json<Json>() };
  };
  const expectMissing = async (key: string) => {
    const missing = await call('GET', itemUrl(key));
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: `${noun} '${key}' does not exist`,
    });
  };
  const etagOf = (response: LightMyRequestResponse) => String(response.headers.etag);

  describe(`the document-resource contract of ${path}`, () => {
    it(
      'creates with 201, a Location and an ETag, reads the same item back, ' + 'and refuses a taken key with 409',
      async () => {
        const { key, response, item } = await create({ [resource.optional.name]: resource.optional.value });
        expect(response.headers.location).toBe(itemUrl(key));
        expect(etagOf(response)).toMatch(/^"[0-9a-f]{32}"$/);
        expect(item[keyName]).toBe(key);
        expect(item[resource.optional.name]).toEqual(resource.optional.value);
        const read = await call('GET', itemUrl(key));
        expect(read.statusCode).toBe(200);
        expect(read.json()).toEqual(item);
        expect(read.headers.etag).toBe(response.headers.etag);
        const again = await call('POST', path, { [keyName]: key, ...resource.body(0) });
        expect(again.statusCode).toBe(409);
        expect(again.json()).toMatchObject({ code: 'ALREADY_EXISTS' });
      },
    );

    it('answers 400 naming an unknown member and a missing required one, and stores nothing', async () => {
      const key = nextKey();
      const { [resource.required.name]: _dropped, ...withoutRequired } = resource.body(1);
      const response = await call('POST', path, { [keyName]: key, ...withoutRequired, not_a_member: 1 });
      expect(response.statusCode).toBe(400);
      const details = response.json<{ details: { path: string; message: string }[] }>().details;
      expect(details.map((detail) => detail.path)).toContain(`body.${resource.required.name}`);
      expect(details.map((detail) => `${detail.path}: ${detail.message}`).join('\n')).toContain('not_a_member');
      await expectMissing(key);
    });

    it('answers 404 with the error body for a missing item, on GET, PATCH, PUT and DELETE', async () => {
      const key = nextKey();
      await expectMissing(key);
      for (const [method, body] of [
        ['PATCH', {}],
        ['PUT', resource.body(2)],
        ['DELETE', undefined],
      ] as const) {
        const response = await call(method, itemUrl(key), body);
        expect(response.statusCode, method).toBe(404);
        expect(response.json(), method).toMatchObject({
          code: 'NOT_FOUND',
          message: `${noun} '${key}' does not exist`,
        });
      }
    });

    it('merge-patches: absent keeps, a value replaces, null removes; the ETag changes', async () => {
      const { key, response, item } = await create({ [resource.optional.name]: resource.optional.value });
      const changed = await call('PATCH', itemUrl(key), { [resource.required.name]: resource.required.value });
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json()).toMatchObject({
        [resource.required.name]: resource.required.value,
        [resource.optional.name]: resource.optional.value,
      });
      expect(changed.headers.etag).not.toBe(response.headers.etag);
      const removed = await call('PATCH', itemUrl(key), { [resource.optional.name]: null });
      expect(removed.statusCode).toBe(200);
      expect(removed.json()).not.toHaveProperty(resource.optional.name);
      expect(removed.json<Json>().created_at).toBe(item.created_at);
      const clearedRequired = await call('PATCH', itemUrl(key), { [resource.required.name]: null });
      expect(clearedRequired.statusCode).toBe(400);
    });

    it('replaces with PUT: a member left out is removed; the body may repeat the key, never another', async () => {
      const { key } = await create({ [resource.optional.name]: resource.optional.value });
      const replaced = await call('PUT', itemUrl(key), { [keyName]: key, ...resource.body(3) });
      expect(replaced.statusCode, replaced.body).toBe(200);
      expect(replaced.json()).not.toHaveProperty(resource.optional.name);
      for (const method of ['PUT', 'PATCH'] as const) {
        const other = await call(method, itemUrl(key), {
          [keyName]: 'someone-else',
          ...(method === 'PUT' ? resource.body(3) : {}),
        });
        expect(other.statusCode, method).toBe(400);
        expect(other.json<{ details: unknown }>().details).toEqual([
          { path: `body.${keyName}`, message: `must equal the ${keyName} in the path` },
        ]);
      }
    });

    it('honours If-Match on PATCH, PUT and DELETE: 412 when stale or malformed, and nothing changes', async () => {
      const { key, response } = await create();
      const stale = '"00000000000000000000000000000000"';
      const attempts = [
        ['PATCH', { [resource.required.name]: resource.required.value }],
        ['PUT', resource.body(4)],
        ['DELETE', undefined],
      ] as const;
      for (const [method, body] of attempts) {
        for (const ifMatch of [stale, 'W/"weak"']) {
          const refused = await call(method, itemUrl(key), body, { 'if-match': ifMatch });
          expect(refused.statusCode, `${method} ${ifMatch}`).toBe(412);
          expect(refused.json()).toMatchObject({ code: 'PRECONDITION_FAILED' });
        }
      }
      const unchanged = await call('GET', itemUrl(key));
      expect(unchanged.headers.etag).toBe(response.headers.etag);
      const current = await call(
        'PATCH',
        itemUrl(key),
        { [resource.required.name]: resource.required.value },
        { 'if-match': etagOf(response) },
      );
      expect(current.statusCode).toBe(200);
    });

    it('deletes with 204 and no body, then answers 404', async () => {
      const { key } = await create();
      const deleted = await call('DELETE', itemUrl(key));
      expect(deleted.statusCode).toBe(204);
      expect(deleted.body).toBe('');
      await expectMissing(key);
    });

    it('lists newest first, in pages joined by next_cursor without gaps or repeats', async () => {
      const keys: string[] = [];
      for (let i = 0; i < 5; i++) keys.push((await create()).key);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string =
          `limit=2&created_after=${encodeURIComponent('2000-01-01T00:00:00Z')}` +
          (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');
        const page: LightMyRequestResponse = await call('GET', `${path}?${query}`);
        expect(page.statusCode).toBe(200);
        const body = page.json<{ items: Json[]; next_cursor: string | null }>();
        expect(body.items.length).toBeLessThanOrEqual(2);
        seen.push(...body.items.map((item) => String(item[keyName])));
        cursor = body.next_cursor;
      } while (cursor !== null);
      expect(new Set(seen).size).toBe(seen.length);
      const ours = seen.filter((key) => keys.includes(key));
      expect(ours).toEqual([...keys].reverse());
    });

    it.each([
      ['limit=0', 'query.limit'],
      ['limit=501', 'query.limit'],
      ['cursor=garbage', 'query.cursor'],
      ['created_after=yesterday', 'query.created_after'],
    ])('answers 400 naming the query parameter for a bad limit, cursor or instant: %s', async (query, field) => {
      const response = await call('GET', `${path}?${query}`);
      expect(response.statusCode).toBe(400);
      expect(response.json<{ details: { path: string }[] }>().details[0]?.path).toBe(field);
    });

    it('documents its six routes under its tag in the OpenAPI document', async () => {
      const document = (await call('GET', '/docs/json')).json<{
        paths: Record<string, Record<string, { tags?: string[] }>>;
      }>();
      const collection = document.paths[path] ?? {};
      const item = document.paths[`${path}/{${keyName}}`] ?? {};
      expect(Object.keys(collection).sort()).toEqual(['get', 'post']);
      expect(Object.keys(item).sort()).toEqual(['delete', 'get', 'patch', 'put']);
      for (const operation of [...Object.values(collection), ...Object.values(item)])
        expect(operation.tags).toEqual([resource.tag]);
    });
  });
}
