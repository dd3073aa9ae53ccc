// pg_terminate_backend on the service's own sessions, idle and busy, while
// writes run: each broken connection costs at most the requests on it (503
// with Retry-After), the pool replaces it, and no write is lost or doubled.
// Only sessions of this test's database and of the service are touched.
import { withClient } from '@analytics-engine/storage/testing';
import { describe, expect, it } from 'vitest';
import { runFault } from './support/fault-run.js';

type SessionState = 'idle' | 'busy';

/** Terminates the service's sessions in that state, again and again for a while; returns how many. */
async function terminateRepeatedly(databaseUrl: string, state: SessionState, forMs: number): Promise<number> {
  return withClient(databaseUrl, async (admin) => {
    let terminated = 0;
    const deadline = Date.now() + forMs;
    while (Date.now() < deadline) {
      const { rows } = await admin.query<{ n: number }>(
        `select count(*) filter (where pg_terminate_backend(pid))::int as n
           from pg_stat_activity
          where datname = current_database()
            and application_name like 'analytics-engine%'
            and pid <> pg_backend_pid()
            and ${state === 'idle' ? `state = 'idle'` : `state in ('active', 'idle in transaction')`}`,
      );
      terminated += rows[0]?.n ?? 0;
      // Idle sessions: leave the pool time to refill. Busy ones: catch statements as they run.
      await new Promise((resolve) => setTimeout(resolve, state === 'idle' ? 200 : 5));
    }
    return terminated;
  });
}

describe('pg_terminate_backend', () => {
  it.each<[SessionState]>([['idle'], ['busy']])('on %s connections', async (state) => {
    let terminated = 0;
    await runFault({
      name: `terminate-${state}`,
      inject: async ({ databaseUrl }) => {
        terminated = await terminateRepeatedly(databaseUrl, state, 3_000);
        return `${terminated} sessions terminated`;
      },
    });
    expect(terminated, 'the fault never hit a session').toBeGreaterThan(0);
  });
});
