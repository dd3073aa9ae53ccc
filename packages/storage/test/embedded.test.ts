// The embedded mode on real PGlite: the same migrations and repositories, data
// that survives a reopen, and the data-directory lock.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createClientConfigRepository,
  databaseConfigFromEnv,
  DataDirLockedError,
  HEAD,
  migrationStatus,
  openDatabase,
  upgrade,
  verify,
} from '../src/index.js';
import { runMigrateCli } from './support/run-cli.js';

const dataDir = mkdtempSync(join(tmpdir(), 'ae-embedded-'));
const config = databaseConfigFromEnv({ DATA_DIR: dataDir });

// PGlite's first start (initdb) takes seconds, more on a loaded two-core machine.
describe('embedded PGlite', { timeout: 120_000 }, () => {
  it('current on a data directory that does not exist creates nothing', async () => {
    const missing = join(dataDir, 'never-created');
    const result = await runMigrateCli(['current'], { DATA_DIR: missing });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No migration applied (base).');
    expect(existsSync(missing)).toBe(false);
  });

  it('upgrades and verifies through the CLI', async () => {
    const env = { DATA_DIR: dataDir };
    const up = await runMigrateCli(['upgrade', 'head'], env);
    expect(up.stderr).toBe('');
    expect(up.stdout).toContain(`Database: embedded, ${dataDir}`);
    expect(up.stdout).toContain(
      'Running upgrade <base> -> 20251221_062048_add_persistent_storage_tables, add persistent storage tables',
    );
    const checked = await runMigrateCli(['verify'], env);
    expect(checked.stdout).toContain('verify: all');
    expect(checked.code).toBe(0);
  });

  it('keeps data across close and reopen, and runs the same repositories', async () => {
    const first = await openDatabase(config);
    try {
      expect((await upgrade(first.db)).direction).toBe('none');
      const clients = createClientConfigRepository(first.db);
      await clients.create('test-client-001', {
        client_name: 'Test Corporation',
        license_type: 'professional',
        modules: ['SCOR', 'CRM'],
      });
      await clients.merge('test-client-001', { preferences: { theme: 'dark' } });
      expect((await clients.list({ module: 'CRM' })).items.map((i) => i.key)).toEqual(['test-client-001']);
    } finally {
      await first.close();
    }

    const second = await openDatabase(config);
    try {
      expect((await migrationStatus(second.db)).current).toBe(HEAD);
      const stored = await createClientConfigRepository(second.db).get('test-client-001');
      expect(stored?.data).toEqual({
        client_name: 'Test Corporation',
        license_type: 'professional',
        modules: ['SCOR', 'CRM'],
        preferences: { theme: 'dark' },
      });
      expect((await verify(second.db)).differences).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('refuses a second opener of a directory in use, naming the holder', async () => {
    const holder = await openDatabase(config);
    try {
      await expect(openDatabase(config)).rejects.toBeInstanceOf(DataDirLockedError);
      await expect(openDatabase(config)).rejects.toThrow(new RegExp(`in use by pid ${process.pid} on `));
      const other = await runMigrateCli(['upgrade', 'head'], { DATA_DIR: dataDir });
      expect(other.code).toBe(3);
      expect(other.stderr).toMatch(
        new RegExp(`^migrate: data directory .* is in use by pid ${process.pid} .*set DATABASE_URL\\n$`),
      );
    } finally {
      await holder.close();
    }
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ae-stale-'));
    const dead = {
      pid: 2 ** 22 + 7,
      host: (await import('node:os')).hostname(),
      processStart: '1',
      since: 'then',
      command: 'crashed',
    };
    writeFileSync(join(dir, 'lock'), JSON.stringify(dead));
    const database = await openDatabase(databaseConfigFromEnv({ DATA_DIR: dir }));
    await database.close();
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });
});

afterAll(() => {
  // Temporary directories are left to the OS: PGlite's files are small and this keeps failures inspectable.
});
