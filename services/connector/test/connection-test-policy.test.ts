// The egress policy: without CONNECTOR_EGRESS_ALLOW, loopback, link-local, private
// and other special addresses are refused before any connection (servers here count
// connections to prove none was made); with an allowance the same target answers.
// Also: the check inside the HTTP client's lookup, the service's own port, bad
// allow-list entries at boot, and stored secrets no key can open.
import { testApp } from '@analytics-engine/http/testing';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEgressPolicy,
  parseEgressAllowList,
  type EgressAllowList,
} from '../src/connection-test/egress-policy.js';
import { ConnectionTestError } from '../src/connection-test/errors.js';
import { connectorService } from '../src/service.js';
import { useConnectionTestApp } from './connection-test-app.js';
import {
  apiServer,
  json,
  secret,
  silentServer,
  type ApiServer,
  type ListeningServer,
} from './connection-test-support.js';
import { keyEntry } from './support.js';

// The suite's own app allows nothing; the others are booted over its database.
const strict = useConnectionTestApp();
const { testUnsaved } = strict;
let counting: ListeningServer;
let api: ApiServer;
const password = secret('policy');

beforeAll(async () => {
  counting = await silentServer();
  api = await apiServer({ user: 'u', password: 'p', token: 't' });
});
afterAll(async () => {
  await counting.close();
  await api.close();
});

/** Another app over the suite's database, key k1 unless `env` names other keys. */
const boot = (env: NodeJS.ProcessEnv) =>
  testApp(connectorService, strict.database, { CONNECTOR_ENCRYPTION_KEYS: keyEntry('k1'), ...env });

describe('without an allowance', () => {
  it('refuses this machine and every special range before connecting', async () => {
    const port = counting.port;
    const targets: [string, string][] = [
      ['sql', `postgres://postgres:${password}@127.0.0.1:${port}/x`],
      ['sql', `mysql://root:${password}@127.0.0.1:${port}/x`],
      ['sql', `Server=127.0.0.1,${port};Database=x;User Id=sa;Password=${password};`],
      ['sql', 'Server=localhost;Database=test;'],
      ['sql', `host=localhost port=${port} user=postgres password=${password}`],
      ['api', `http://127.0.0.1:${port}/items`],
      ['api', `http://localhost:${port}/items`],
      ['api', `http://[::ffff:127.0.0.1]:${port}/items`],
      ['api', `http://[::1]:${port}/items`],
      ['api', `http://0.0.0.0:${port}/items`],
      ['api', 'http://169.254.169.254/latest/meta-data/'],
      ['api', 'http://[fe80::1]/x'],
      ['api', 'http://10.1.2.3/x'],
      ['api', 'http://172.16.5.4/x'],
      ['api', 'http://192.168.1.1/x'],
      ['api', 'http://[fd00::1]/x'],
      ['api', 'http://100.64.0.1/x'],
      ['sql', 'postgres://u@10.0.0.8/x'],
    ];
    for (const [type, connection_string] of targets) {
      const response = await testUnsaved({ type, connection_string, credentials: { username: 'u', password } });
      expect(response.json().result, connection_string).toMatchObject({
        status: 'failed',
        error: { code: 'blocked_by_policy' },
      });
    }
    expect(counting.connections()).toBe(0);
  });

  it('refuses at connect time inside the HTTP client too (a name resolving to a refused address)', async () => {
    const policy = createEgressPolicy(parseEgressAllowList('') as EgressAllowList, []);
    const agent = new Agent({ connect: { lookup: policy.lookupFor(api.port) } });
    const before = api.connections();
    try {
      await expect(request(`http://localhost:${api.port}/items`, { dispatcher: agent })).rejects.toSatisfy(
        (error: unknown) => error instanceof ConnectionTestError && error.code === 'blocked_by_policy',
      );
    } finally {
      await agent.destroy();
    }
    expect(api.connections()).toBe(before);
  });
});

describe('with an allowance', () => {
  it('reaches the same targets when CONNECTOR_EGRESS_ALLOW names the CIDR or the host', async () => {
    for (const allow of ['127.0.0.1/32', 'localhost', '127.0.0.0/8, ::1']) {
      const app = await boot({ CONNECTOR_EGRESS_ALLOW: allow });
      try {
        const target = allow === 'localhost' ? `http://localhost:${api.port}/items` : `${api.url}/items`;
        const response = await testUnsaved({ type: 'api', connection_string: target }, app);
        expect(response.json().result, allow).toMatchObject({ status: 'success' });
      } finally {
        await app.close();
      }
    }
  });

  it("still refuses the service's own port on this machine", async () => {
    const app = await boot({ CONNECTOR_EGRESS_ALLOW: '127.0.0.1/32', PORT: String(counting.port) });
    try {
      const response = await testUnsaved({ type: 'api', connection_string: `http://127.0.0.1:${counting.port}/` }, app);
      expect(response.json().result).toMatchObject({
        status: 'failed',
        error: { code: 'blocked_by_policy', message: expect.stringContaining('own port') },
      });
      const defaultPort = await testUnsaved({ type: 'sql', connection_string: 'postgres://u@127.0.0.1:8023/x' }, app);
      expect(defaultPort.json().result.error.code).toBe('blocked_by_policy');
    } finally {
      await app.close();
    }
    expect(counting.connections()).toBe(0);
  });
});

describe('configuration', () => {
  it('refuses to boot with a bad CONNECTOR_EGRESS_ALLOW entry, naming it', async () => {
    for (const [allow, expected] of [
      ['10.0.0.0/8, not a host!', /CONNECTOR_EGRESS_ALLOW.*entry 2 \('not a host!'\)/],
      ['10.0.0.0/33', /entry 1 .*CIDR/],
      ['db.internal,,300.1.1.1/8', /entry 3/],
    ] as const) {
      await expect(boot({ CONNECTOR_EGRESS_ALLOW: allow })).rejects.toThrow(expected);
    }
  });

  it('caps a request timeout_ms at CONNECTOR_TEST_TIMEOUT_MS, and refuses a bad value at boot', async () => {
    await expect(boot({ CONNECTOR_TEST_TIMEOUT_MS: 'soon' })).rejects.toThrow(/CONNECTOR_TEST_TIMEOUT_MS/);
    const app = await boot({ CONNECTOR_EGRESS_ALLOW: '127.0.0.1/32', CONNECTOR_TEST_TIMEOUT_MS: '500' });
    try {
      const started = Date.now();
      const response = await testUnsaved(
        { type: 'api', connection_string: `${api.url}/slow`, timeout_ms: 60_000 },
        app,
      );
      expect(response.json().result).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
      expect(Date.now() - started).toBeLessThan(10_000); // the 60 s asked for was capped
    } finally {
      await app.close();
    }
  });

  it('parses hosts, wildcard suffixes, addresses and CIDRs', () => {
    const parsed = parseEgressAllowList(
      ' db.internal , *.corp.example, 10.0.0.0/8, 192.168.1.5, fd00::/8 ',
    ) as EgressAllowList;
    const policy = createEgressPolicy(parsed, [8023]);
    expect(policy.refusal('db.internal', '10.9.9.9', 5432)).toBeUndefined();
    expect(policy.refusal('x.corp.example', '172.16.0.1', 5432)).toBeUndefined();
    expect(policy.refusal('other', '10.200.0.1', 5432)).toBeUndefined();
    expect(policy.refusal('other', '192.168.1.5', 5432)).toBeUndefined();
    expect(policy.refusal('other', '192.168.1.6', 5432)).toMatch(/private/);
    expect(policy.refusal('other', 'fd12::1', 5432)).toBeUndefined();
    expect(policy.refusal('other', '169.254.169.254', 80)).toMatch(/linkLocal/);
    expect(policy.refusal('other', '93.184.216.34', 443)).toBeUndefined();
    expect(policy.refusal('other', '127.0.0.1', 8023)).toMatch(/own port/);
  });

  it('fails a stored profile whose secret no configured key opens as invalid_config, without connecting', async () => {
    const writer = await boot({ CONNECTOR_ENCRYPTION_KEYS: keyEntry('old') });
    const created = await writer.inject({
      method: 'POST',
      url: '/connector/profiles',
      headers: json,
      payload: {
        id: 'orphan',
        name: 'Orphan',
        type: 'api',
        connection_string: `${api.url}/items`,
        credentials: { password },
      },
    });
    expect(created.statusCode).toBe(201);
    await writer.close();
    const before = api.connections();
    const app = await boot({ CONNECTOR_ENCRYPTION_KEYS: keyEntry('new'), CONNECTOR_EGRESS_ALLOW: '127.0.0.1/32' });
    try {
      const tested = await strict.call('POST', '/connector/profiles/orphan/test', undefined, app);
      expect(tested.json()).toMatchObject({
        result: { status: 'failed', error: { code: 'invalid_config' } },
        profile: { test_status: 'failed' },
      });
      expect(tested.json().result.error.message).toMatch(/connection_string cannot be opened \(unknown_key\)/);
    } finally {
      await app.close();
    }
    expect(api.connections()).toBe(before);
  });
});

it('never puts a secret in a result or a log line', () => {
  expect(strict.sink.lines.filter((line) => line.includes('connection test of')).length).toBeGreaterThanOrEqual(18);
  strict.expectNoSecret([password]);
});
