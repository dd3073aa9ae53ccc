// Three instances of each service on one database, through one PgBouncer in
// transaction mode, as a load balancer would spread requests over them: they
// boot at the same moment on an empty database and migrate it once; a write on
// one is read on another; the same Idempotency-Key sent to all of them at once
// makes one row; racing status changes on different instances let exactly one win.
import { HEAD, migrationStatus } from '@analytics-engine/storage';
import { createTestDatabase, type TestDatabase } from '@analytics-engine/storage/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { crudJourney, idempotentCreates } from './support/journeys.js';
import { call, deploymentEnv, startInstance, type Instance } from './support/instances.js';
import { startPgBouncer, type PgBouncer } from './support/pgbouncer.js';
import { rawQuery } from './support/raw-sql.js';

const INSTANCES = 3;

let bouncer: PgBouncer;
let deployment: ReturnType<typeof deploymentEnv>;
let test: TestDatabase;
let instances: Instance[] = [];

beforeAll(async () => {
  bouncer = await startPgBouncer(inject('adminUrl'));
  deployment = deploymentEnv();
  test = await createTestDatabase({ migrated: false });
});

afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.close()));
  await bouncer.stop();
  deployment.dispose();
});

const demo = (i: number, path: string) => `${instances[i % INSTANCES]?.demoConfigUrl ?? ''}/demo/${path}`;

describe(`${INSTANCES} instances of each service behind one PgBouncer`, () => {
  it('boot at the same moment on an empty database and migrate it once', async () => {
    const env = { ...deployment.env, DATABASE_URL: bouncer.url(test.url), DATABASE_MIGRATION_URL: test.url };
    const booted = await Promise.allSettled(Array.from({ length: INSTANCES }, () => startInstance(env)));
    instances = booted.flatMap((boot) => (boot.status === 'fulfilled' ? [boot.value] : []));
    // Every boot succeeded: a second migration run at the same time would have failed on CREATE TABLE.
    expect(booted.map((boot) => (boot.status === 'rejected' ? String(boot.reason) : 'ok'))).toEqual(
      Array(INSTANCES).fill('ok'),
    );
    const database = await test.open();
    try {
      const status = await migrationStatus(database.db);
      expect(status.current).toBe(HEAD);
      expect(status.pending).toEqual([]);
      const recorded = await rawQuery<{ name: string; n: number }>(
        database.db,
        'select name, count(*)::int as n from kysely_migration group by name order by name',
      );
      expect(recorded.map((row) => row.n)).toEqual(status.migrations.map(() => 1));
    } finally {
      await database.close();
    }
    for (const instance of instances) {
      for (const url of [instance.connectorUrl, instance.demoConfigUrl]) {
        expect((await fetch(`${url}/ready`)).status, `${url}/ready`).toBe(200);
      }
    }
  });

  it('serve one user across instances: what one writes, the next reads', async () => {
    await crudJourney(instances, 'many');
  });

  it('make one row of the same Idempotency-Key sent to every instance at once', async () => {
    await idempotentCreates(instances, 'many');
  });

  it('let exactly one of racing draft -> sent changes (If-Match) win, on whichever instance', async () => {
    const clientId = 'race-client';
    expect(
      (
        await call(demo(0, 'clients'), 'POST', {
          client_id: clientId,
          client_name: 'Race',
          license_type: 'professional',
          modules: ['SCOR'],
        })
      ).status,
    ).toBe(201);
    const draft = await call(demo(1, 'proposals'), 'POST', {
      client_id: clientId,
      proposal_type: 'implementation',
      pricing: { total: 900 },
    });
    expect(draft.status).toBe(201);
    const id = (draft.json as { proposal_id: string }).proposal_id;
    const etag = draft.headers.get('etag') ?? '';

    const racers = await Promise.all(
      Array.from({ length: INSTANCES * 3 }, (_, i) =>
        call(demo(i, `proposals/${id}`), 'PATCH', { status: 'sent' }, { 'if-match': etag }),
      ),
    );
    const statuses = racers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, ...Array(INSTANCES * 3 - 1).fill(412)]);

    // sent -> accepted against sent -> rejected, no If-Match: the status rule on the locked row decides.
    const finals = await Promise.all(
      Array.from({ length: INSTANCES * 2 }, (_, i) =>
        call(demo(i, `proposals/${id}`), 'PATCH', { status: i % 2 === 0 ? 'accepted' : 'rejected' }),
      ),
    );
    const winners = finals.filter((answer) => answer.status === 200);
    const losers = finals.filter((answer) => answer.status !== 200);
    const won = (winners[0]?.json as { status: string } | undefined)?.status;
    // The winner's own status may be repeated (staying put is fine); the other one is refused.
    expect(winners.every((answer) => (answer.json as { status: string }).status === won)).toBe(true);
    expect(losers.length).toBeGreaterThan(0);
    for (const loser of losers) {
      expect(loser.status).toBe(409);
      expect((loser.json as { code: string }).code).toBe('INVALID_STATUS_TRANSITION');
    }
    const stored = await call(demo(2, `proposals/${id}`), 'GET');
    expect((stored.json as { status: string }).status).toBe(won);
  });
});
