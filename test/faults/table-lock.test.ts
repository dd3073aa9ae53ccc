// An ACCESS EXCLUSIVE lock on client_configs, held past the statement timeout,
// while writes run on a small pool: every client write blocks, its statement is
// cancelled (504 QUERY_TIMEOUT, nothing changed), and meanwhile the blocked
// writes hold every pooled connection, so the rest (profiles too) wait out the
// connect timeout (503 DATABASE_UNAVAILABLE, nothing changed). Nothing hangs,
// and once the lock goes the same pool serves again.
import { withClient } from '@analytics-engine/storage/testing';
import { describe, expect, it } from 'vitest';
import { FAULT_TIMEOUTS } from './support/fault-services.js';
import { runFault } from './support/fault-run.js';

const POOL_MAX = 2;
/** Long enough for every blocked statement to time out at least once. */
const LOCK_HELD_MS = FAULT_TIMEOUTS.statementMs * 2 + 1_000;

async function holdExclusiveLock(databaseUrl: string, forMs: number): Promise<void> {
  return withClient(databaseUrl, async (admin) => {
    await admin.query('begin');
    await admin.query('lock table client_configs in access exclusive mode');
    await new Promise((resolve) => setTimeout(resolve, forMs));
    await admin.query('rollback');
  });
}

describe('exclusive table lock', () => {
  it('exhausts the pool, then the pool serves again', async () => {
    const records = await runFault({
      name: 'table-lock',
      env: { DATABASE_POOL_MAX: String(POOL_MAX) },
      load: { writers: POOL_MAX * 4 },
      inject: async ({ databaseUrl }) => {
        await holdExclusiveLock(databaseUrl, LOCK_HELD_MS);
        return `lock held ${LOCK_HELD_MS} ms on a pool of ${POOL_MAX}`;
      },
    });
    // The fault did what it says: statements timed out, and the pool ran dry.
    expect(records.filter((r) => r.code === 'QUERY_TIMEOUT').length, 'no statement timed out').toBeGreaterThan(0);
    expect(records.filter((r) => r.code === 'DATABASE_UNAVAILABLE').length, 'the pool never ran dry').toBeGreaterThan(
      0,
    );
  });
});
