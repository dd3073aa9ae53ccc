// What the /demo/clients and /demo/proposals tests both check of a response:
// the error body, a 400 naming its field, bad queries, JSON-only bodies, a
// merge-patch and If-Match. Imported as `check`: check.invalid(response, path).
import { request } from '@analytics-engine/http/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

/** The status and the error body: statusCode repeats the status, the rest as given. */
export function error(response: LightMyRequestResponse, statusCode: number, body: Record<string, unknown>): void {
  expect(response.statusCode).toBe(statusCode);
  expect(response.json()).toMatchObject({ statusCode, ...body });
}

/** A 400 whose first detail names `path`; with `message`, that detail is the only one and says so. */
export function invalid(response: LightMyRequestResponse, path: string, message?: string): void {
  expect(response.statusCode).toBe(400);
  const { details } = response.json<{ details: { path: string; message: string }[] }>();
  if (message === undefined) expect(details[0]?.path).toBe(path);
  else expect(details).toEqual([{ path, message }]);
}

/** Each query of `path` answers 400; with `detail`, its first detail's path matches it. */
export async function badQueries(
  app: FastifyInstance,
  path: string,
  queries: readonly string[],
  detail?: RegExp,
): Promise<void> {
  for (const query of queries) {
    const response = await request(app, 'GET', `${path}?${query}`);
    expect(response.statusCode, query).toBe(400);
    if (detail) expect(response.json<{ details: { path: string }[] }>().details[0]?.path, query).toMatch(detail);
  }
}

/** POST to `path` answers 400 MALFORMED_JSON for broken JSON and 415 for text/plain. */
export async function jsonOnly(app: FastifyInstance, path: string): Promise<void> {
  const malformed = await request(app, 'POST', path, '{"id": ');
  expect(malformed.statusCode).toBe(400);
  expect(malformed.json()).toMatchObject({ code: 'MALFORMED_JSON' });
  const text = await request(app, 'POST', path, 'text', { 'content-type': 'text/plain' });
  expect(text.statusCode).toBe(415);
  expect(text.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
}

/** A merge-patch of the item `created` at `url`: 200 with exactly `merged` (created_at kept) and a new ETag. */
export async function mergePatch(
  app: FastifyInstance,
  url: string,
  created: LightMyRequestResponse,
  patch: unknown,
  merged: Record<string, unknown>,
): Promise<LightMyRequestResponse> {
  const patched = await request(app, 'PATCH', url, patch);
  expect(patched.statusCode).toBe(200);
  expect(patched.json()).toEqual({ ...merged, created_at: created.json<{ created_at: string }>().created_at });
  expect(patched.headers.etag).not.toBe(created.headers.etag);
  return patched;
}

export interface IfMatchCase {
  /** Two merge-patches: the first, with the created ETag, succeeds; the second, with the same one, is stale. */
  readonly patches: readonly [unknown, unknown];
  /** A replacement: refused with the stale ETag, then accepted with the current one. */
  readonly put: unknown;
  /** What still holds after the stale writes: the first patch and nothing else. */
  readonly unchanged: () => Promise<void>;
}

/**
 * If-Match on PATCH, PUT and DELETE of the item at `url`, created with `etag`:
 * a stale or malformed ETag is 412 and changes nothing; the current one writes,
 * and the item is gone after its delete.
 */
export async function ifMatch(app: FastifyInstance, url: string, etag: string, item: IfMatchCase): Promise<void> {
  const ifMatch = (tag: string) => ({ 'if-match': tag });
  const first = await request(app, 'PATCH', url, item.patches[0], ifMatch(etag));
  expect(first.statusCode).toBe(200);
  const stale = await request(app, 'PATCH', url, item.patches[1], ifMatch(etag));
  expect(stale.statusCode).toBe(412);
  expect(stale.json()).toMatchObject({ code: 'PRECONDITION_FAILED' });
  expect((await request(app, 'PUT', url, item.put, ifMatch(etag))).statusCode).toBe(412);
  expect((await request(app, 'DELETE', url, undefined, ifMatch(etag))).statusCode).toBe(412);
  expect((await request(app, 'PATCH', url, item.patches[1], ifMatch('W/"abc"'))).statusCode).toBe(412);
  await item.unchanged();

  const put = await request(app, 'PUT', url, item.put, ifMatch(first.headers.etag as string));
  expect(put.statusCode).toBe(200);
  expect((await request(app, 'DELETE', url, undefined, ifMatch(put.headers.etag as string))).statusCode).toBe(204);
  expect((await request(app, 'GET', url)).statusCode).toBe(404);
}
