// The services behind PgBouncer 1.18 in transaction pooling mode (PgBouncer's
// defaults otherwise): they find the pooler by themselves, name no prepared
// statement, send no setting at login and leave none on a server session, set
// statement_timeout per transaction, and migrate over DATABASE_MIGRATION_URL.
// CRUD on both services, idempotent creates and terminated server sessions
// under write load, all through a PgBouncer this file starts on its own port.
import { randomUUID } from 'node:crypto';
import {
  createConnectorProfileRepository,
  databaseConfigFromEnv,
  openDatabase,
  type OpenDatabase,
} from '@analytics-engine/storage';
import { createTestDatabase, withClient, type TestDatabase } from '@analytics-engine/storage/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { reachesThroughPooler } from '../../packages/storage/src/database/pool-connections.js';
import { judgeFault } from '../faults/support/judge-fault.js';
import { startWriteLoad, untilAcknowledged } from '../faults/support/write-load.js';
import { crudJourney, idempotentCreates } from './support/journeys.js';
import { deploymentEnv, startInstance, type Instance } from './support/instances.js';
import { startPgBouncer, type PgBouncer } from './support/pgbouncer.js';
import { rawQuery } from './support/raw-sql.js';

let bouncer: PgBouncer;
let deployment: ReturnType<typeof deploymentEnv>;
let test: TestDatabase;
let instance: Instance | undefined;

beforeAll(async () => {
  bouncer = await startPgBouncer(inject('adminUrl'));
  deployment = deploymentEnv();
  // Empty: the first boot migrates it, over the direct connection.
  test = await createTestDatabase({ migrated: false });
});

afterAll(async () => {
  await instance?.close();
  await bouncer.stop();
  deployment.dispose();
});

const throughBouncer = () => bouncer.url(test.url);

async function openThrough(url: string, env: NodeJS.ProcessEnv = {}): Promise<OpenDatabase> {
  return openDatabase(databaseConfigFromEnv({ ...env, DATABASE_URL: url }, 'scale-out-pgbouncer'));
}

describe('behind PgBouncer in transaction mode', () => {
  it('refuses to migrate through the pooler, naming DATABASE_MIGRATION_URL', async () => {
    await expect(startInstance({ ...deployment.env, DATABASE_URL: throughBouncer() })).rejects.toThrow(
      /through a connection pooler .*set DATABASE_MIGRATION_URL to PostgreSQL itself/,
    );
  });

  it('boots, migrating over DATABASE_MIGRATION_URL, and serves CRUD on both services', async () => {
    instance = await startInstance({
      ...deployment.env,
      DATABASE_URL: throughBouncer(),
      DATABASE_MIGRATION_URL: test.url,
    });
    for (const url of [instance.connectorUrl, instance.demoConfigUrl]) {
      const ready = await fetch(`${url}/ready`);
      expect(ready.status, `${url}/ready`).toBe(200);
    }
    await crudJourney(instance, 'bouncer');
  });

  it('boots through PgBouncer alone once the schema is at head (nothing to migrate, no lock taken)', async () => {
    const second = await startInstance({ ...deployment.env, DATABASE_URL: throughBouncer() });
    try {
      expect((await fetch(`${second.demoConfigUrl}/ready`)).status).toBe(200);
      await crudJourney(second, 'bouncer-alone');
    } finally {
      await second.close();
    }
  });

  it('does idempotent creates through PgBouncer', async () => {
    if (!instance) throw new Error('no instance: the boot test failed');
    await idempotentCreates([instance], 'bouncer');
  });

  it('finds the pooler, and finds none on a direct connection', async () => {
    const direct = await openThrough(test.url);
    const pooled = await openThrough(throughBouncer());
    try {
      expect(await reachesThroughPooler(direct.db)).toBe(false);
      expect(await reachesThroughPooler(pooled.db)).toBe(true);
    } finally {
      await Promise.all([direct.close(), pooled.close()]);
    }
  });

  it('sets statement_timeout per statement and per transaction, leaving nothing on server sessions', async () => {
    const database = await openThrough(throughBouncer(), { DATABASE_STATEMENT_TIMEOUT_MS: '300' });
    try {
      const setting = "select current_setting('statement_timeout') as s";
      const sleep = 'select pg_sleep(2)';
      expect(await rawQuery(database.db, setting)).toEqual([{ s: '300ms' }]);
      await expect(rawQuery(database.db, sleep)).rejects.toMatchObject({ code: '57014' });
      await database.db.transaction().execute(async (trx) => {
        expect(await rawQuery(trx, setting)).toEqual([{ s: '300ms' }]);
      });
      await expect(
        database.db.transaction().execute(async (trx) => {
          await rawQuery(trx, 'select 1');
          await rawQuery(trx, sleep);
        }),
      ).rejects.toMatchObject({ code: '57014' });
      // Many statements at once, over several server sessions: every one ran with its own timeout.
      const many = await Promise.all(Array.from({ length: 20 }, () => rawQuery<{ s: string }>(database.db, setting)));
      expect(new Set(many.map((rows) => rows[0]?.s))).toEqual(new Set(['300ms']));
    } finally {
      await database.close();
    }
    // A client without settings of its own, on whichever server sessions PgBouncer hands out: the server default.
    const clients = Array.from({ length: 5 }, () => new pg.Client({ connectionString: throughBouncer() }));
    try {
      await Promise.all(clients.map((client) => client.connect()));
      const shown = await Promise.all(clients.map((client) => client.query('show statement_timeout')));
      expect(shown.map((result) => (result.rows[0] as { statement_timeout: string }).statement_timeout)).toEqual(
        Array(5).fill('0'),
      );
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
  });

  it('names no prepared statement when DATABASE_PREPARED_STATEMENTS=false, even directly', async () => {
    const database = await openThrough(test.url, { DATABASE_PREPARED_STATEMENTS: 'false', DATABASE_POOL_MAX: '1' });
    try {
      const profiles = createConnectorProfileRepository(database.db);
      await profiles.create(`unnamed-${randomUUID()}`, { name: 'Unnamed', type: 'sql' });
      const rows = await rawQuery(database.db, 'select count(*)::int as n from pg_prepared_statements');
      expect(rows).toEqual([{ n: 0 }]);
    } finally {
      await database.close();
    }
  });

  it('survives terminated server sessions under write load: no 500, nothing lost or doubled', async () => {
    const faultDatabase = await createTestDatabase();
    // A PgBouncer of its own: it is stopped before the verdict, as its server sessions outlive the instance.
    const own = await startPgBouncer(inject('adminUrl'));
    const faulted = await startInstance({
      ...deployment.env,
      DATABASE_URL: own.url(faultDatabase.url),
      DATABASE_MIGRATION_URL: faultDatabase.url,
      DATABASE_CONNECT_TIMEOUT_MS: '2000',
      DATABASE_STATEMENT_TIMEOUT_MS: '3000',
    });
    let closed = false;
    const load = startWriteLoad(faulted, 'bouncer-terminate');
    try {
      await untilAcknowledged(load, 100);
      const terminated = await withClient(faultDatabase.url, async (admin) => {
        let count = 0;
        for (const deadline = Date.now() + 2_000; Date.now() < deadline;) {
          const { rows } = await admin.query<{ n: number }>(
            `select count(*) filter (where pg_terminate_backend(pid))::int as n from pg_stat_activity
              where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`,
          );
          count += rows[0]?.n ?? 0;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return count;
      });
      expect(terminated, 'the fault never hit a session').toBeGreaterThan(0);
      // Healed, by itself: new writes are acknowledged again.
      await untilAcknowledged(load, load.acknowledged() + 50, 30_000);
      const records = await load.stop();
      for (const url of [faulted.connectorUrl, faulted.demoConfigUrl])
        expect((await fetch(`${url}/ready`)).status).toBe(200);
      await faulted.close();
      closed = true;
      // Only once PgBouncer's server sessions are gone is what the database holds final.
      await own.stop();
      await judgeFault('bouncer-terminate', faultDatabase.url, records, `${terminated} server sessions terminated`);
    } finally {
      await load.stop();
      if (!closed) await faulted.close();
      await own.stop();
    }
  });
});
