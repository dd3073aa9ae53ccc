// How an adoption runs: its dry run counts and changes nothing; without the
// Connector's key in production it stops before sealing anything and records
// nothing, so it simply runs again; outside production it seals with the
// development key file the Connector uses; interrupted midway (a Python writer
// holding a row lock past lock_timeout) it keeps the batches it committed, and
// the next run finishes the rest.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { databaseConfigFromEnv, migrationNames, sealerFor, upgrade } from '@analytics-engine/storage';
import { withClient } from '@analytics-engine/storage/testing';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runMigrateCli } from '../../packages/storage/test/support/run-cli.js';
import { getItem, takeoverApps } from './support/apps.js';
import { profiles } from './support/legacy-rows.js';
import { pythonDatabase, rawDocuments } from './support/python-database.js';

const KEYS = `k1:${randomBytes(32).toString('base64')}`;
const recorded = (url: string) =>
  withClient(url, async (client) => {
    const exists = (await client.query<{ t: string | null }>(`select to_regclass('kysely_migration')::text as t`))
      .rows[0]?.t;
    return exists
      ? Number((await client.query<{ n: string }>('select count(*) as n from kysely_migration')).rows[0]?.n)
      : 0;
  });

// Each test runs the CLI, some several times: on a loaded machine that takes far longer than the default.
describe('an adoption', { timeout: 180_000 }, () => {
  it('previews with --dry-run what it would map and seal, changing nothing', async () => {
    const { test } = await pythonDatabase('20251228_153000');
    const before = await rawDocuments(test.url, 'connector_profiles', 'id', 'profile_data');
    const dry = await runMigrateCli(['upgrade', 'head', '--dry-run'], { DATABASE_URL: test.url });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(
      '-- connector_profiles: 8 of 8 rows (100%), would map 6 to the current shape, would seal 13 plaintext ' +
        'secret(s), 1 need completion;',
    );
    expect(dry.stdout).toContain(
      '-- alembic_version is at 20251228_153000: the existing tables are checked, completed and recorded',
    );
    expect(await rawDocuments(test.url, 'connector_profiles', 'id', 'profile_data')).toEqual(before);
    expect(await recorded(test.url)).toBe(0);
  });

  it('says so in one line for a revision it does not know', async () => {
    const { test } = await pythonDatabase('20260201_113600', '20270101_000000');
    const current = await runMigrateCli(['current'], { DATABASE_URL: test.url });
    expect(current.stdout).toContain(
      'alembic_version is at 20270101_000000: the next upgrade adopts the existing tables.',
    );
    expect(current.stdout).toMatch(
      /^alembic_version is at 20270101_000000, a revision this project does not know \(it knows 20251221_062048, /m,
    );
  });

  it(
    'stops in production without CONNECTOR_ENCRYPTION_KEYS, sealing and recording nothing, and runs again ' +
      'once it is set',
    async () => {
      const { test } = await pythonDatabase('20251229_153900');
      const before = await rawDocuments(test.url, 'connector_profiles', 'id', 'profile_data');
      const refused = await runMigrateCli(['upgrade', 'head'], { DATABASE_URL: test.url, NODE_ENV: 'production' });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /^migrate: connector_profiles holds plaintext secrets to seal, and CONNECTOR_ENCRYPTION_KEYS is not set/,
      );
      expect(await rawDocuments(test.url, 'connector_profiles', 'id', 'profile_data')).toEqual(before);
      expect(await recorded(test.url)).toBe(0);
      const adopted = await runMigrateCli(['upgrade', 'head'], {
        DATABASE_URL: test.url,
        NODE_ENV: 'production',
        CONNECTOR_ENCRYPTION_KEYS: KEYS,
      });
      expect(adopted.code, adopted.stderr).toBe(0);
      expect(await recorded(test.url)).toBe(migrationNames.length);
    },
  );

  it('seals with the development key file outside production, the one the Connector then opens them with', async () => {
    const { test } = await pythonDatabase('20251221_062048');
    const dataDir = mkdtempSync(join(tmpdir(), 'takeover-dev-key-'));
    const adopted = await runMigrateCli(['upgrade', 'head'], { DATABASE_URL: test.url, DATA_DIR: dataDir });
    expect(adopted.code, adopted.stderr).toBe(0);
    expect(adopted.stdout).toMatch(
      /^CONNECTOR_ENCRYPTION_KEYS is not set: sealing with the development key file .*connector-encryption\.key/m,
    );
    const database = await test.open({ DATA_DIR: dataDir });
    // No CONNECTOR_ENCRYPTION_KEYS: the Connector reads the same development key file.
    const apps = await takeoverApps(database, undefined, dataDir);
    try {
      const read = await apps.connector.inject({ method: 'GET', url: '/connector/profiles/erp-db' });
      expect(read.json()).toMatchObject({ secrets: { connection_string: 'set', password: 'set' } });
    } finally {
      await apps.close();
      await database.close();
    }
  });

  it('keeps the batches it committed when interrupted, and the next run finishes the rest', async () => {
    const { test } = await pythonDatabase('20251229_153900');
    const keysInOrder = await withClient(test.url, async (client) =>
      (await client.query<{ id: string }>('select id from connector_profiles order by id')).rows.map((row) => row.id),
    );
    const locked = keysInOrder[4] ?? '';
    const blocker = new pg.Client({ connectionString: test.url, application_name: 'python-connector' });
    await blocker.connect();
    const database = await test.open();
    try {
      await blocker.query('begin');
      await blocker.query('select 1 from connector_profiles where id = $1 for update', [locked]);
      const sealWith = sealerFor(databaseConfigFromEnv({ DATABASE_URL: test.url, CONNECTOR_ENCRYPTION_KEYS: KEYS }));
      const lines: string[] = [];
      const log = (line: string) => void lines.push(line);
      await expect(
        upgrade(database.db, 'head', { sealWith, batchSize: 2, lockTimeoutMs: 300, log }),
      ).rejects.toMatchObject({
        kind: 'lock-timeout',
        message: expect.stringContaining('python-connector'),
      });
      expect(await recorded(test.url)).toBe(0);
      const midway = await rawDocuments(test.url, 'connector_profiles', 'id', 'profile_data');
      for (const [index, key] of keysInOrder.entries()) {
        const original = JSON.stringify(profiles.find((row) => row.key === key)?.data);
        const stored = JSON.parse(midway.get(key) ?? '{}') as unknown;
        if (index < 4) expect(JSON.stringify(stored), key).not.toBe(original);
        else expect(stored, key).toEqual(JSON.parse(original));
      }
      await blocker.query('rollback');

      lines.length = 0;
      const resumed = await upgrade(database.db, 'head', { sealWith, batchSize: 2, log });
      expect(resumed.adopted).toBe(true);
      // What the first run committed is left as it is (sealing again would change every ciphertext).
      const after = await rawDocuments(test.url, 'connector_profiles', 'id', 'profile_data');
      for (const key of keysInOrder.slice(0, 4)) expect(after.get(key), key).toBe(midway.get(key));
      const [, sealedNow] =
        /sealed (\d+) plaintext/.exec(lines.find((line) => line.startsWith('connector_profiles:')) ?? '') ?? [];
      expect(Number(sealedNow)).toBeGreaterThan(0);
      expect(Number(sealedNow)).toBeLessThan(13);
      expect(await recorded(test.url)).toBe(migrationNames.length);
      const apps = await takeoverApps(database, KEYS);
      try {
        for (const row of profiles) expect((await getItem(apps, 'profiles', row.key)).id).toBe(row.key);
      } finally {
        await apps.close();
      }
    } finally {
      await blocker.end();
      await database.close();
    }
  });
});
