// What a user does with the services, as plain HTTP against running instances:
// the CRUD of both services (spread over the instances given, so a write on one
// is read on another) and idempotent creates.
import { expect } from 'vitest';
import { call, type Instance } from './instances.js';

/** The instance for step `i`: steps go round the instances. */
const at = (instances: readonly Instance[], i: number): Instance => {
  const instance = instances[i % instances.length];
  if (!instance) throw new Error('no instances');
  return instance;
};

/** Profiles, clients and proposals: create, read, list, patch (If-Match), replace, delete. */
export async function crudJourney(given: Instance | readonly Instance[], tag: string): Promise<void> {
  const instances = Array.isArray(given) ? given : [given as Instance];
  const connector = (i: number) => `${at(instances, i).connectorUrl}/connector/profiles`;
  const demo = (i: number, path: string) => `${at(instances, i).demoConfigUrl}/demo/${path}`;
  const id = `${tag}-profile`;

  const created = await call(connector(0), 'POST', {
    id,
    name: 'Warehouse',
    type: 'sql',
    connection_string: 'Server=db;Database=w;',
    credentials: { username: 'u', password: 'p' },
  });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  const etag = created.headers.get('etag') ?? '';
  const read = await call(`${connector(1)}/${id}`, 'GET');
  expect(read.status).toBe(200);
  expect(read.json).toMatchObject({ id, name: 'Warehouse', type: 'sql' });
  const listed = await call(`${connector(2)}?type=sql&limit=100`, 'GET');
  expect(listed.status).toBe(200);
  expect((listed.json as { items: { id: string }[] }).items.map((item) => item.id)).toContain(id);
  const patched = await call(`${connector(0)}/${id}`, 'PATCH', { name: 'Renamed' }, { 'if-match': etag });
  expect(patched.status, JSON.stringify(patched.json)).toBe(200);
  expect(patched.json).toMatchObject({ name: 'Renamed' });
  const stale = await call(`${connector(1)}/${id}`, 'PATCH', { name: 'Lost update' }, { 'if-match': etag });
  expect(stale.status).toBe(412);
  const replaced = await call(`${connector(2)}/${id}`, 'PUT', { name: 'Replaced', type: 'api' });
  expect(replaced.status, JSON.stringify(replaced.json)).toBe(200);
  expect((await call(`${connector(0)}/${id}`, 'GET')).json).toMatchObject({ name: 'Replaced', type: 'api' });
  expect((await call(`${connector(1)}/${id}`, 'DELETE')).status).toBe(204);
  expect((await call(`${connector(2)}/${id}`, 'GET')).status).toBe(404);

  const clientId = `${tag}-client`;
  const client = await call(demo(0, 'clients'), 'POST', {
    client_id: clientId,
    client_name: 'Acme',
    license_type: 'professional',
    modules: ['SCOR'],
  });
  expect(client.status, JSON.stringify(client.json)).toBe(201);
  const proposal = await call(demo(1, 'proposals'), 'POST', {
    client_id: clientId,
    proposal_type: 'implementation',
    pricing: { total: 1000 },
  });
  expect(proposal.status, JSON.stringify(proposal.json)).toBe(201);
  const proposalId = (proposal.json as { proposal_id: string }).proposal_id;
  expect((proposal.json as { status: string }).status).toBe('draft');
  const sent = await call(demo(2, `proposals/${proposalId}`), 'PATCH', { status: 'sent' });
  expect(sent.status, JSON.stringify(sent.json)).toBe(200);
  const ofClient = await call(demo(0, `proposals?client_id=${clientId}&status=sent`), 'GET');
  expect((ofClient.json as { items: { proposal_id: string }[] }).items.map((item) => item.proposal_id)).toEqual([
    proposalId,
  ]);
  expect((await call(demo(1, `clients/${clientId}?cascade=true`), 'DELETE')).status).toBe(204);
}

/**
 * The same Idempotency-Key on every instance at once (several times each): one
 * proposal, every answer either the first one (201, replayed) or "still in
 * progress" (409); afterwards every retry replays it. Another body: 422.
 */
export async function idempotentCreates(instances: readonly Instance[], tag: string): Promise<void> {
  const clientId = `${tag}-idem-client`;
  const client = await call(`${at(instances, 0).demoConfigUrl}/demo/clients`, 'POST', {
    client_id: clientId,
    client_name: 'Idem',
    license_type: 'professional',
    modules: ['SCOR'],
  });
  expect(client.status).toBe(201);
  const body = { client_id: clientId, proposal_type: 'implementation', pricing: { total: 500 } };
  const key = { 'idempotency-key': `${tag}-${String(Date.now())}` };
  const create = (i: number) => call(`${at(instances, i).demoConfigUrl}/demo/proposals`, 'POST', body, key);

  const racing = await Promise.all(Array.from({ length: instances.length * 4 }, (_, i) => create(i)));
  const statuses = racing.map((answer) => answer.status);
  expect(
    statuses.every((status) => status === 201 || status === 409),
    statuses.join(','),
  ).toBe(true);
  const ids = new Set(
    racing.filter((a) => a.status === 201).map((a) => (a.json as { proposal_id: string }).proposal_id),
  );
  expect(ids.size).toBe(1);

  const retries = await Promise.all(instances.map((_, i) => create(i)));
  for (const retry of retries) {
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(ids).toContain((retry.json as { proposal_id: string }).proposal_id);
  }
  const listed = await call(`${at(instances, 1).demoConfigUrl}/demo/proposals?client_id=${clientId}`, 'GET');
  expect((listed.json as { items: unknown[] }).items).toHaveLength(1);

  const other = await call(
    `${at(instances, 2).demoConfigUrl}/demo/proposals`,
    'POST',
    { ...body, pricing: { total: 501 } },
    key,
  );
  expect(other.status).toBe(422);
  expect((other.json as { code: string }).code).toBe('IDEMPOTENCY_KEY_REUSED');
}
