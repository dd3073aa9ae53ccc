// The fixtures of the route timings (route-timings.ts), made through the API as a
// user would make them (plain fetch with the admin key): a client, a proposal
// generated from a questionnaire, and a sql connector profile over a small
// table in the bench database, discovered and with that table selected. The
// source table is written with pg directly: it is the data source the
// connector reads, not a document of the services.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { QuestionnaireInput } from '../services/demo-config/src/proposal-generator/index.js';
import { AUTHORIZATION } from './production-config.js';

/** The schema and table the connector preview reads, in the bench database. */
export const SOURCE_SCHEMA = 'bench_route_source';
export const SOURCE_TABLE = `${SOURCE_SCHEMA}.orders`;
const SOURCE_ROWS = 1000;

export class FixtureError extends Error {}

export const JSON_HEADERS = { ...AUTHORIZATION, 'content-type': 'application/json' } as const;

/** 503 OVERLOADED answers retried, after their Retry-After, as a client would (a service just started may shed). */
const OVERLOAD_RETRIES = 5;

/** One API call with the admin key; anything but `expect` is a FixtureError naming the route and the answer. */
export async function call(
  method: string,
  url: string,
  body?: unknown,
  expect: readonly number[] = [200, 201],
): Promise<Record<string, unknown>> {
  let response: Response;
  for (let attempt = 0; ; attempt++) {
    response = await fetch(url, {
      method,
      headers: body === undefined ? AUTHORIZATION : JSON_HEADERS,
      body: body === undefined ? null : JSON.stringify(body),
    });
    if (response.status !== 503 || attempt >= OVERLOAD_RETRIES || expect.includes(503)) break;
    await response.arrayBuffer();
    const seconds = Number(response.headers.get('retry-after') ?? 1);
    await new Promise((resolve) => setTimeout(resolve, (Number.isFinite(seconds) ? seconds : 1) * 1000));
  }
  const text = await response.text();
  if (!expect.includes(response.status))
    throw new FixtureError(`${method} ${new URL(url).pathname}: ${response.status} ${text.slice(0, 300)}`);
  if (!text) return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

const suffix = () => randomBytes(4).toString('hex');

export interface DemoFixtures {
  readonly clientId: string;
  readonly proposalId: string;
  remove(): Promise<void>;
}

/** A client, then a proposal generated from `answers` for it (POST /demo/proposals). */
export async function demoFixtures(demo: string, answers: QuestionnaireInput): Promise<DemoFixtures> {
  const clientId = `bench-route-client-${suffix()}`;
  await call('POST', `${demo}/demo/clients`, {
    client_id: clientId,
    client_name: 'Nordwind Logística Ærø',
    license_type: 'enterprise',
    modules: ['SCOR', 'CRM'],
    preferences: { currency: 'USD', timezone: 'Europe/Berlin' },
  });
  const proposal = await call('POST', `${demo}/demo/proposals`, {
    client_id: clientId,
    proposal_type: 'implementation',
    questionnaire: answers,
  });
  const proposalId = proposal.proposal_id;
  if (typeof proposalId !== 'string') throw new FixtureError('POST /demo/proposals answered no proposal_id');
  return {
    clientId,
    proposalId,
    async remove() {
      await call('DELETE', `${demo}/demo/clients/${clientId}?cascade=true`, undefined, [204, 404]);
    },
  };
}

export interface SourceFixture {
  readonly profileId: string;
  remove(): Promise<void>;
}

/**
 * The preview's source: SOURCE_TABLE in the bench database (1,000 rows of text, numeric, timestamp, boolean and
 * jsonb), a sql profile on it, discovered (POST .../discover) and the table selected (PATCH selected_tables).
 */
export async function sourceFixture(connector: string, databaseUrl: string): Promise<SourceFixture> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${SOURCE_SCHEMA} CASCADE`);
    await client.query(`CREATE SCHEMA ${SOURCE_SCHEMA}`);
    await client.query(`CREATE TABLE ${SOURCE_TABLE} (
      id integer PRIMARY KEY, customer text NOT NULL, total numeric(12, 2) NOT NULL,
      placed_at timestamptz NOT NULL, shipped boolean NOT NULL, note text, attributes jsonb)`);
    await client.query(
      `INSERT INTO ${SOURCE_TABLE}
       SELECT g, 'Customer ' || (g % 97), round((g * 37.5) % 10000, 2),
              timestamptz '2025-01-01T00:00:00Z' + g * interval '17 minutes', g % 3 = 0,
              CASE WHEN g % 5 = 0 THEN NULL ELSE repeat('note ', 1 + g % 20) END,
              jsonb_build_object('channel', (ARRAY['web','store','phone'])[1 + g % 3], 'items', g % 9)
       FROM generate_series(1, ${SOURCE_ROWS}) g`,
    );
    await client.query(`ANALYZE ${SOURCE_TABLE}`);
  } finally {
    await client.end();
  }
  const dropSource = async () => {
    const cleanup = new pg.Client({ connectionString: databaseUrl });
    await cleanup.connect();
    await cleanup.query(`DROP SCHEMA IF EXISTS ${SOURCE_SCHEMA} CASCADE`).finally(() => cleanup.end());
  };
  const profileId = `bench-route-source-${suffix()}`;
  const base = `${connector}/connector/profiles`;
  const remove = async () => {
    await call('DELETE', `${base}/${profileId}`, undefined, [204, 404]);
    await dropSource();
  };
  try {
    await call('POST', base, { id: profileId, name: 'Bench orders', type: 'sql', connection_string: databaseUrl });
    const discovered = await call('POST', `${base}/${profileId}/discover`, { include_schemas: [SOURCE_SCHEMA] });
    const result = discovered.result as { status?: string; error?: { code?: string; message?: string } } | undefined;
    if (result?.status !== 'success') {
      const { code = '?', message = '' } = result?.error ?? {};
      const hint =
        code === 'blocked_by_policy'
          ? ` (start the services with CONNECTOR_EGRESS_ALLOW=${new URL(databaseUrl).hostname})`
          : '';
      throw new FixtureError(`discovery of the source failed: ${code}: ${message}${hint}`);
    }
    await call('PATCH', `${base}/${profileId}`, { selected_tables: [SOURCE_TABLE] });
  } catch (error) {
    await remove().catch(() => undefined);
    throw error;
  }
  return { profileId, remove };
}
