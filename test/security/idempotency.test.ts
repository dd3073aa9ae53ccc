// Idempotency-Key on POST: the first answer is replayed byte for byte, another
// body under the same key is a 422, a request still running makes a retry 409,
// and no retry ever writes a second row, for generated proposal ids too.
import { useTestDatabase } from '@analytics-engine/storage/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, securedApps, type SecuredApps } from './support.js';

const writer = apiKey('write');
const otherWriter = apiKey('write');
const admin = apiKey('admin');
const file = useTestDatabase();
let apps: SecuredApps;

beforeAll(async () => {
  apps = await securedApps(file.database, { API_KEYS: [writer.entry, otherWriter.entry, admin.entry].join(',') });
  await post(
    '/demo/clients',
    { client_id: 'acme', client_name: 'Acme', license_type: 'professional', modules: ['SCOR'] },
    writer.auth,
  );
});
afterAll(async () => {
  await apps.close();
});

const proposal = { client_id: 'acme', proposal_type: 'implementation', pricing: { total: 1000 } };

function post(url: string, body: unknown, headers: Record<string, string>) {
  return apps.demo.inject({
    method: 'POST',
    url,
    payload: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });
}

const proposalCount = async () =>
  Number(
    (
      await file.database.db
        .selectFrom('service_proposals')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const claimsInProgress = async () =>
  Number(
    (
      await file.database.db
        .selectFrom('idempotency_keys')
        .where('status_code', 'is', null)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('Idempotency-Key on POST', () => {
  it('replays the first answer for the same key and body, and writes one proposal with a generated id', async () => {
    const before = await proposalCount();
    const headers = { ...writer.auth, 'idempotency-key': 'order-7f3a9c-1' };
    const first = await post('/demo/proposals', proposal, headers);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await post('/demo/proposals', proposal, headers);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    expect(await proposalCount()).toBe(before + 1);
  });

  it('answers 422 for the same key with a different body, and writes nothing', async () => {
    const headers = { ...writer.auth, 'idempotency-key': 'order-7f3a9c-2' };
    expect((await post('/demo/proposals', proposal, headers)).statusCode).toBe(201);
    const before = await proposalCount();
    const changed = await post('/demo/proposals', { ...proposal, pricing: { total: 2000 } }, headers);
    expect(changed.statusCode).toBe(422);
    expect(changed.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await proposalCount()).toBe(before);
  });

  it('keeps keys apart per caller: another API key with the same Idempotency-Key is a new request', async () => {
    const key = 'order-7f3a9c-3';
    const mine = await post('/demo/proposals', proposal, { ...writer.auth, 'idempotency-key': key });
    const theirs = await post(
      '/demo/proposals',
      { ...proposal, pricing: { total: 5 } },
      { ...otherWriter.auth, 'idempotency-key': key },
    );
    expect([mine.statusCode, theirs.statusCode]).toEqual([201, 201]);
    expect(theirs.json<{ proposal_id: string }>().proposal_id).not.toBe(
      mine.json<{ proposal_id: string }>().proposal_id,
    );
  });

  it('replays a 409 too: a key whose first answer was a conflict stays a conflict', async () => {
    const body = { ...proposal, proposal_id: 'prop-fixed-1' };
    expect((await post('/demo/proposals', body, writer.auth)).statusCode).toBe(201);
    const headers = { ...writer.auth, 'idempotency-key': 'order-7f3a9c-4' };
    const conflict = await post('/demo/proposals', body, headers);
    expect(conflict.statusCode).toBe(409);
    const replayed = await post('/demo/proposals', body, headers);
    expect(replayed.statusCode).toBe(409);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
  });

  it(
    'answers 409 with Retry-After while the first request with the key is still running, then replays ' + 'it',
    async () => {
      const headers = { ...writer.auth, 'idempotency-key': 'order-7f3a9c-5' };
      const locker = new pg.Client({ connectionString: file.url });
      await locker.connect();
      try {
        // The first request blocks on its client row (it reads it FOR SHARE), holding its claim.
        await locker.query('begin');
        await locker.query(`select 1 from client_configs where client_id = 'acme' for update`);
        const first = post('/demo/proposals', proposal, headers);
        await expect.poll(() => claimsInProgress(), { timeout: 5_000 }).toBeGreaterThan(0);
        const during = await post('/demo/proposals', proposal, headers);
        expect(during.statusCode).toBe(409);
        expect(during.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_PROGRESS' });
        expect(during.headers['retry-after']).toBe('1');
        await locker.query('commit');
        const answered = await first;
        expect(answered.statusCode).toBe(201);
        const after = await post('/demo/proposals', proposal, headers);
        expect(after.body).toBe(answered.body);
      } finally {
        await locker.end();
      }
    },
  );

  it('is documented on every POST of both OpenAPI documents', async () => {
    for (const app of [apps.demo, apps.connector]) {
      const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json<{
        paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
      }>();
      const posts = Object.entries(document.paths).flatMap(([path, operations]) =>
        operations.post ? [[path, operations.post] as const] : [],
      );
      expect(posts.length).toBeGreaterThan(0);
      for (const [path, operation] of posts) {
        expect(
          operation.parameters?.some((p) => p.in === 'header' && p.name === 'idempotency-key'),
          path,
        ).toBe(true);
      }
    }
  });

  it('refuses a malformed key with 400 naming the header, before any write', async () => {
    const before = await proposalCount();
    const response = await post('/demo/proposals', proposal, { ...writer.auth, 'idempotency-key': 'x'.repeat(256) });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: 'headers.idempotency-key' }],
    });
    expect(await proposalCount()).toBe(before);
  });

  it('takes no key for a request that fails validation: the corrected request under that key succeeds', async () => {
    const headers = { ...writer.auth, 'idempotency-key': 'order-7f3a9c-6' };
    expect((await post('/demo/proposals', { client_id: 'acme' }, headers)).statusCode).toBe(400);
    expect((await post('/demo/proposals', proposal, headers)).statusCode).toBe(201);
  });

  it(
    'works for the Connector Service too: a retried profile create replays 201, writes one row, and keeps ' +
      'its answer sealed',
    async () => {
      const profile = {
        id: 'idem-profile-1',
        name: 'Warehouse',
        type: 'sql',
        connection_string: 'Server=db;Database=dw;',
      };
      const send = () =>
        apps.connector.inject({
          method: 'POST',
          url: '/connector/profiles',
          payload: JSON.stringify(profile),
          headers: { 'content-type': 'application/json', 'idempotency-key': 'profile-create-1', ...admin.auth },
        });
      const first = await send();
      expect(first.statusCode).toBe(201);
      const again = await send();
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toBe(first.body);
      const stored = (await file.database.db.selectFrom('idempotency_keys').select('response_body').execute()).map(
        (row) => row.response_body ?? '',
      );
      expect(stored.some((body) => body.startsWith('enc:v1:'))).toBe(true);
      expect(stored.join('\n')).not.toContain('Server=db');
      expect(
        await file.database.db
          .selectFrom('connector_profiles')
          .where('id', '=', 'idem-profile-1')
          .select('id')
          .execute(),
      ).toHaveLength(1);
    },
  );
});
