// A switch-over: the Python services keep writing their own shapes, in
// plaintext, after the adoption. Their rows read in the current shape at once
// (and match the list filters in their Python spellings); verify fails naming
// the profiles with a plaintext secret until `pnpm migrate seal-secrets` (whose
// dry run counts them) seals them; a row's next write through the API stores it
// in the current shape, sealed.
import { randomBytes } from 'node:crypto';
import { request } from '@analytics-engine/http/testing';
import type { OpenDatabase } from '@analytics-engine/storage';
import { withClient } from '@analytics-engine/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrateCli } from '../../packages/storage/test/support/run-cli.js';
import { getItem, takeoverApps, type TakeoverApps } from './support/apps.js';
import { pythonDatabase, rawDocuments, type PythonDatabase } from './support/python-database.js';

const KEYS = `current:${randomBytes(32).toString('base64')}`;

let fixture: PythonDatabase;
let database: OpenDatabase;
let apps: TakeoverApps;
const env = () => ({ DATABASE_URL: fixture.test.url, CONNECTOR_ENCRYPTION_KEYS: KEYS, NODE_ENV: 'production' });

/** What the Python services write, as they write it (their upserts). */
async function pythonWrites(): Promise<void> {
  await withClient(fixture.test.url, async (client) => {
    const profile = {
      id: 'late-db',
      name: 'Late',
      type: 'sql_postgres',
      host: 'late.internal',
      port: 5433,
      database: 'late',
      username: 'late',
      password: 'late-Secret-9',
      api_url: null,
      file_path: null,
      extra_params: { sslmode: 'disable' },
    };
    await client.query(`insert into connector_profiles (id, profile_data) values ('late-db', $1)`, [
      JSON.stringify(profile),
    ]);
    const client_ = {
      id: 'e5f6',
      client_id: 'late-client',
      client_name: 'Late Co',
      selected_kpis: ['OTD'],
      license_key: null,
    };
    await client.query(`insert into client_configs (client_id, config_data) values ('late-client', $1)`, [
      JSON.stringify(client_),
    ]);
    const proposal = {
      id: 'late-prop',
      client_id: 'late-client',
      estimated_cost: 800,
      status: 'signed',
      timeline_weeks: 1,
    };
    await client.query(`insert into service_proposals (proposal_id, proposal_data) values ('late-prop', $1)`, [
      JSON.stringify(proposal),
    ]);
  });
}

beforeAll(async () => {
  fixture = await pythonDatabase('20251229_153900');
  const upgraded = await runMigrateCli(['upgrade', 'head'], env());
  expect(upgraded.code, upgraded.stderr).toBe(0);
  database = await fixture.test.open();
  apps = await takeoverApps(database, KEYS);
  await pythonWrites();
}, 180_000);
afterAll(async () => {
  await apps.close();
  await database.close();
});

// Each test runs the CLI several times: on a loaded machine that takes far longer than the default.
describe('rows a Python service writes after the adoption', { timeout: 180_000 }, () => {
  it('read in the current shape at once', async () => {
    expect(await getItem(apps, 'profiles', 'late-db')).toMatchObject({
      type: 'sql',
      connection_string: 'postgresql://late.internal:5433/late',
      credentials: { username: 'late', password_set: true },
      extra_params: { sslmode: 'disable' },
      secrets: { connection_string: 'set', password: 'set' },
    });
    expect(await getItem(apps, 'clients', 'late-client')).toMatchObject({
      client_name: 'Late Co',
      selected_kpis: ['OTD'],
      license_key: null,
      legacy: { id: 'e5f6' },
      needs_completion: ['license_type'],
    });
    expect(await getItem(apps, 'proposals', 'late-prop')).toMatchObject({
      status: 'accepted',
      pricing: { total: 800 },
      timeline: { weeks: 1 },
      needs_completion: ['proposal_type'],
    });
  });

  it('match the list filters in their Python spellings (sql_postgres is sql, signed is accepted)', async () => {
    const sql = await request(apps.connector, 'GET', '/connector/profiles?type=sql&limit=500');
    expect(sql.json<{ items: { id: string }[] }>().items.map((item) => item.id)).toContain('late-db');
    const accepted = await request(apps.demo, 'GET', '/demo/proposals?status=accepted&limit=500');
    const keys = accepted.json<{ items: { proposal_id: string }[] }>().items.map((item) => item.proposal_id);
    expect(keys).toEqual(expect.arrayContaining(['late-prop', 'c3d4e5f6-3333-4a5b-8c6d-7e8f9a0b1c2d']));
  });

  it('fail verify, naming the profile, until seal-secrets seals them; its dry run counts them first', async () => {
    const failing = await runMigrateCli(['verify'], env());
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain(
      "FAIL secrets: connector_profiles secrets sealed at rest - 1 row(s) hold a plaintext secret: 'late-db'; run " +
        '`pnpm migrate seal-secrets`',
    );
    const dry = await runMigrateCli(['seal-secrets', '--dry-run'], env());
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('seal-secrets: would seal 2 plaintext secret(s) in 1 profile(s); nothing was changed');
    expect((await rawDocuments(fixture.test.url, 'connector_profiles', 'id', 'profile_data')).get('late-db')).toContain(
      'late-Secret-9',
    );

    const sealed = await runMigrateCli(['seal-secrets'], env());
    expect(sealed.code, sealed.stderr).toBe(0);
    expect(sealed.stdout).toContain('seal-secrets: sealed 2 plaintext secret(s) in 1 profile(s)');
    const stored =
      (await rawDocuments(fixture.test.url, 'connector_profiles', 'id', 'profile_data')).get('late-db') ?? '';
    expect(stored).not.toContain('late-Secret-9');
    expect(JSON.parse(stored)).toMatchObject({
      type: 'sql',
      credentials: { username: 'late', password: expect.stringMatching(/^enc:v2:current:/) },
    });
    expect((await runMigrateCli(['verify'], env())).code).toBe(0);
    expect((await runMigrateCli(['seal-secrets'], env())).stdout).toContain(
      'seal-secrets: sealed 0 plaintext secret(s) in 0 profile(s)',
    );
    expect((await getItem(apps, 'profiles', 'late-db')).secrets).toEqual({ connection_string: 'set', password: 'set' });
  });

  it('are stored in the current shape, secrets sealed, on their next write through the API', async () => {
    await withClient(fixture.test.url, (client) =>
      client.query(`insert into connector_profiles (id, profile_data) values ('later-db', $1)`, [
        JSON.stringify({
          id: 'later-db',
          name: 'Later',
          type: 'rest_api',
          api_url: 'https://x.example.com',
          password: 'token-Secret-10',
        }),
      ]),
    );
    const renamed = await request(apps.connector, 'PATCH', '/connector/profiles/later-db', { name: 'Renamed' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const stored = JSON.parse(
      (await rawDocuments(fixture.test.url, 'connector_profiles', 'id', 'profile_data')).get('later-db') ?? '{}',
    );
    expect(stored).toEqual({
      name: 'Renamed',
      type: 'api',
      connection_string: expect.stringMatching(/^enc:v2:current:/),
      credentials: { password: expect.stringMatching(/^enc:v2:current:/) },
    });

    const completed = await request(apps.demo, 'PATCH', '/demo/clients/late-client', { license_type: 'basic' });
    expect(completed.statusCode, completed.body).toBe(200);
    expect(completed.json()).not.toHaveProperty('needs_completion');
    const client = JSON.parse(
      (await rawDocuments(fixture.test.url, 'client_configs', 'client_id', 'config_data')).get('late-client') ?? '{}',
    );
    expect(client).toEqual({
      client_name: 'Late Co',
      license_type: 'basic',
      selected_kpis: ['OTD'],
      license_key: null,
      legacy: { id: 'e5f6' },
    });
  });

  it('refuses a write that leaves a required member out, naming it', async () => {
    const incomplete = await request(apps.demo, 'PATCH', '/demo/proposals/late-prop', { status: 'accepted' });
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json<{ details: { path: string }[] }>().details.map((detail) => detail.path)).toEqual([
      'body.proposal_type',
    ]);
  });
});
