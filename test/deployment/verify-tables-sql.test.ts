// The guide's psql verification script runs cleanly on a migrated database and
// leaves nothing behind.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@analytics-engine/storage/testing';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../scripts/sql/verify_tables.sql', import.meta.url));
const hasPsql = spawnSync('psql', ['--version']).status === 0;

describe.runIf(hasPsql)('scripts/sql/verify_tables.sql', () => {
  it('lists the tables, structures, indexes and comments, round-trips a row in each table and rolls back', async () => {
    const database = await createTestDatabase();
    const output = execFileSync('psql', [database.url, '-X', '-f', script], { encoding: 'utf8' });
    for (const table of ['connector_profiles', 'client_configs', 'service_proposals']) {
      expect(output).toContain(`Table "public.${table}"`);
      expect(output).toContain(`ix_${table}_created_at`);
    }
    expect(output).toContain('When the profile was last changed');
    expect(output).toContain('ROLLBACK');
    const counts = execFileSync('psql', [database.url, '-X', '-At', '-c', 'select count(*) from connector_profiles'], {
      encoding: 'utf8',
    });
    expect(counts.trim()).toBe('0');
  });
});
