// Taking over a live Python-era database, at every revision of the shared
// Alembic chain and at one this project has never heard of: `pnpm migrate
// upgrade head` adopts the three tables, maps every row and seals every
// plaintext secret; the row counts are what they were, every leaf of every
// original row is reachable through the APIs (secrets as "set") and survives a
// GET then PUT, no secret is left in plaintext, and the other services' tables
// (alembic_version included) are byte for byte what they were.
import { randomBytes } from 'node:crypto';
import type { OpenDatabase } from '@analytics-engine/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrateCli, type CliResult } from '../../packages/storage/test/support/run-cli.js';
import { getItem, putBack, takeoverApps, type ResourceName, type TakeoverApps } from './support/apps.js';
import { findLeaf, leavesOf } from './support/leaves.js';
import { clients, profiles, proposals, secretMarkers, type LegacyRow } from './support/legacy-rows.js';
import {
  dumpTables,
  GUIDE_TABLES,
  pythonDatabase,
  rawDocuments,
  rowCounts,
  type PythonDatabase,
} from './support/python-database.js';
import { CHAIN, type Revision } from './support/python-schema.js';

const KEYS = `takeover:${randomBytes(32).toString('base64')}`;
const UNKNOWN = '20260415_101500';

const cases: { name: string; revision: Revision; version: string }[] = [
  ...CHAIN.map((revision) => ({ name: revision, revision, version: revision })),
  { name: `${UNKNOWN} (unknown)`, revision: '20260201_113600', version: UNKNOWN },
];

const rowsOf: Record<ResourceName, LegacyRow[]> = { profiles, clients, proposals };

describe.each(cases)('a Python-era database at $name', ({ revision, version }) => {
  let fixture: PythonDatabase;
  let before: { dump: string; counts: Record<string, number> };
  let upgrade: CliResult;
  let database: OpenDatabase;
  let apps: TakeoverApps;

  beforeAll(async () => {
    fixture = await pythonDatabase(revision, version);
    before = { dump: await dumpTables(fixture.test.url, fixture.foreign), counts: await rowCounts(fixture.test.url) };
    // As under docker-compose: production, so only CONNECTOR_ENCRYPTION_KEYS can seal.
    upgrade = await runMigrateCli(['upgrade', 'head'], {
      DATABASE_URL: fixture.test.url,
      CONNECTOR_ENCRYPTION_KEYS: KEYS,
      NODE_ENV: 'production',
    });
    database = await fixture.test.open();
    apps = await takeoverApps(database, KEYS);
  }, 180_000);
  afterAll(async () => {
    await apps.close();
    await database.close();
  });

  it('adopts, saying what it adopted, mapped and sealed', () => {
    expect(upgrade.stderr).toBe('');
    expect(upgrade.code).toBe(0);
    const lines = upgrade.stdout.split('\n');
    if (version === UNKNOWN)
      expect(upgrade.stdout).toMatch(
        new RegExp(`^alembic_version is at ${UNKNOWN}, a revision this project does not know`, 'm'),
      );
    expect(lines).toContain(
      'adopted the tables created by Alembic revision 20251221_062048; every row kept (alembic_version stays at ' +
        `${version})`,
    );
    expect(lines).toContain(
      'connector_profiles: 8 of 8 rows (100%), mapped 6 to the current shape, sealed 13 plaintext secret(s), 1 ' +
        'need completion',
    );
    expect(lines).toContain(
      'client_configs: 4 of 4 rows (100%), mapped 3 to the current shape, sealed 0 plaintext secret(s), 3 need ' +
        'completion',
    );
    expect(lines).toContain(
      'service_proposals: 4 of 4 rows (100%), mapped 3 to the current shape, sealed 0 plaintext secret(s), 2 need ' +
        'completion',
    );
    expect(upgrade.stdout).toMatch(
      new RegExp(
        '^adoption: 16 rows, 12 mapped to the current shape, 13 plaintext secret\\(s\\) sealed, 6 need completion; ' +
          '[\\d.]+ s, peak RSS \\d+ MiB$',
        'm',
      ),
    );
    expect(lines).toContain(
      'Running upgrade 20251221_120000_add_jsonb_gin_indexes -> 20261202_090000_add_idempotency_keys, add ' +
        'idempotency keys',
    );
  });

  it(
    'keeps every row, and leaves the tables that are not ours (alembic_version too) byte for byte as they ' + 'were',
    async () => {
      expect(await rowCounts(fixture.test.url)).toEqual(before.counts);
      expect(await dumpTables(fixture.test.url, fixture.foreign)).toBe(before.dump);
    },
  );

  it('leaves no secret in plaintext in any stored row', async () => {
    for (const { table, key, data } of GUIDE_TABLES) {
      for (const [id, text] of await rawDocuments(fixture.test.url, table, key, data)) {
        for (const marker of secretMarkers) expect(text, `${table} ${id}`).not.toContain(marker);
      }
    }
    const profilesStored = await rawDocuments(fixture.test.url, 'connector_profiles', 'id', 'profile_data');
    const erp = JSON.parse(profilesStored.get('erp-db') ?? '{}') as {
      connection_string: string;
      credentials: { password: string };
    };
    // Sealed with their views: the redacted string after the ciphertext (no marker above is in it), nothing for a
    // password.
    expect(erp.connection_string).toMatch(/^enc:v2:takeover:[\w-]+:[\w-]+:.+$/);
    expect(erp.credentials.password).toMatch(/^enc:v2:takeover:[\w-]+:[\w-]+:$/);
  });

  it('passes verify, listing the tables that are not ours', { timeout: 120_000 }, async () => {
    const result = await runMigrateCli(['verify'], { DATABASE_URL: fixture.test.url });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('ok   secrets: connector_profiles secrets sealed at rest');
    expect(result.stdout).toContain(`Not ours, left as they are: ${fixture.foreign.join(', ')}`);
  });

  it.each(['profiles', 'clients', 'proposals'] as const)(
    'returns every leaf of every original %s row, secrets as set',
    async (resource) => {
      for (const row of rowsOf[resource]) {
        const read = await getItem(apps, resource, row.key);
        const missing = leavesOf(row.data).filter((leaf) => findLeaf(resource, row, leaf, read) === undefined);
        expect(missing, `${row.key}: ${JSON.stringify(read)}`).toEqual([]);
      }
    },
  );

  it.each(['profiles', 'clients', 'proposals'] as const)(
    'keeps every %s member through a GET then PUT of what was read',
    async (resource) => {
      for (const row of rowsOf[resource]) {
        const read = await getItem(apps, resource, row.key);
        const written = await putBack(apps, resource, row.key, read);
        const again = await getItem(apps, resource, row.key);
        expect(again).toEqual(written);
        const { needs_completion: needed, updated_at: _updated, ...kept } = read;
        const completed = Object.fromEntries(
          ((needed as string[] | undefined) ?? []).map((member) => [member, again[member]]),
        );
        expect(again, row.key).toEqual({
          ...kept,
          ...completed,
          ...('updated_at' in again ? { updated_at: again.updated_at } : {}),
        });
      }
    },
  );

  it('lists every row, the incomplete ones included and marked', async () => {
    const listed = await apps.demo.inject({ method: 'GET', url: '/demo/clients?limit=500' });
    const items = listed.json<{ items: { client_id: string; needs_completion?: string[] }[] }>().items;
    expect(items.map((item) => item.client_id).sort()).toEqual(clients.map((row) => row.key).sort());
  });
});
