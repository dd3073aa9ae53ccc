// Reads from a real streaming replica (DATABASE_READ_URL), the primary behind
// PgBouncer: gets and lists go to the replica while it is near enough; a write's
// answer carries a Consistency-Token and a read that sends it back is the
// replica's only once it replayed it; a replica whose replay is paused is left
// out once it lags more than DATABASE_READ_MAX_LAG_MS and taken back when it
// resumes; one stopped mid-run is left out within a second and taken back when
// it is up again, and no read meanwhile gets anything but a 200.
import { connectorService } from '@analytics-engine/connector';
import { demoConfigService } from '@analytics-engine/demo-config';
import { request, testApp } from '@analytics-engine/http/testing';
import { databaseConfigFromEnv, openDatabase, upgrade, type OpenDatabase } from '@analytics-engine/storage';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentEnv, startInstance } from './support/instances.js';
import { startPgBouncer, type PgBouncer } from './support/pgbouncer.js';
import { startReplication, type Replication } from './support/replication.js';

const MAX_LAG_MS = 3_000;
/** Short, so that a read caught on a hung replica gives up (and goes to the primary) quickly. */
const STATEMENT_TIMEOUT_MS = 2_000;
const LSN = /^[0-9A-F]+\/[0-9A-F]+$/;

let replication: Replication;
let bouncer: PgBouncer;
let deployment: ReturnType<typeof deploymentEnv>;
let primaryUrl: string;
let replicaUrl: string;
let database: OpenDatabase;
let demo: FastifyInstance;
let connector: FastifyInstance;

beforeAll(async () => {
  replication = await startReplication();
  primaryUrl = await replication.primary.createDatabase('scale_out');
  replicaUrl = replication.replica.url('scale_out');
  bouncer = await startPgBouncer(replication.primary.url('postgres'));
  deployment = deploymentEnv();
  const direct = await openDatabase(databaseConfigFromEnv({ DATABASE_URL: primaryUrl }));
  try {
    await upgrade(direct.db);
  } finally {
    await direct.close();
  }
  const env = {
    ...deployment.env,
    DATABASE_URL: bouncer.url(primaryUrl),
    DATABASE_READ_URL: replicaUrl,
    DATABASE_READ_MAX_LAG_MS: String(MAX_LAG_MS),
    DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
  };
  database = await openDatabase(databaseConfigFromEnv(env, 'scale-out-replicas'));
  demo = await testApp(demoConfigService, database, env);
  connector = await testApp(connectorService, database, env);
}, 120_000);

afterAll(async () => {
  await Promise.all([demo.close(), connector.close()]);
  await database.close();
  await bouncer.stop();
  await replication.destroy();
  deployment.dispose();
});

const replicaState = () => {
  const [state] = database.replicas?.status() ?? [];
  if (!state) throw new Error('no replica configured');
  return state;
};

/** Polls until the replica serves (or not); resolves with how long that took. */
async function untilServing(serving: boolean, timeoutMs = 15_000): Promise<number> {
  const started = Date.now();
  while (replicaState().serving !== serving) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`replica still ${serving ? 'not ' : ''}serving: ${JSON.stringify(replicaState())}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

async function untilReplayed(token: string): Promise<void> {
  const target = lsnValue(token);
  for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
    const replayed = replicaState().replayed;
    if (replayed !== undefined && lsnValue(replayed) >= target) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the replica did not replay ${token}: ${JSON.stringify(replicaState())}`);
}

function lsnValue(lsn: string): bigint {
  const [high = '0', low = '0'] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

let clients = 0;
async function createClient(): Promise<{ id: string; token: string }> {
  const id = `replica-client-${String(++clients)}`;
  const answer = await request(demo, 'POST', '/demo/clients', {
    client_id: id,
    client_name: id,
    license_type: 'professional',
    modules: ['SCOR'],
  });
  expect(answer.statusCode, answer.body).toBe(201);
  const token = answer.headers['consistency-token'];
  expect(token).toMatch(LSN);
  return { id, token: token as string };
}

const readClient = (id: string, token?: string) =>
  request(demo, 'GET', `/demo/clients/${id}`, undefined, token ? { 'consistency-token': token } : {});

describe('reads from a streaming replica', () => {
  it('serves gets and lists from the replica, and a token once the replica replayed it', async () => {
    await untilServing(true);
    const { id, token } = await createClient();
    await untilReplayed(token);
    const before = replicaState().reads;
    expect((await readClient(id, token)).statusCode).toBe(200);
    const listed = await request(demo, 'GET', '/demo/clients?limit=10', undefined, { 'consistency-token': token });
    expect(listed.statusCode).toBe(200);
    const page = listed.json<{ items: { client_id: string }[] }>();
    expect(page.items.map((item) => item.client_id)).toContain(id);
    expect(replicaState().reads).toBe(before + 2);
    // The other service too; and a write (with its If-Match read) never touches the replica.
    expect((await request(connector, 'GET', '/connector/profiles')).statusCode).toBe(200);
    expect(replicaState().reads).toBe(before + 3);
    const patched = await request(demo, 'PATCH', `/demo/clients/${id}`, { client_name: 'Patched' });
    expect(patched.statusCode).toBe(200);
    expect(patched.headers['consistency-token']).toMatch(LSN);
    expect(replicaState().reads).toBe(before + 3);
  });

  it('sends a read with an unreplayed token to the primary; leaves a paused replica out, takes it back', async () => {
    await untilServing(true);
    await replication.replica.pauseReplay();
    try {
      const written = await createClient();
      const wroteAt = Date.now();
      const before = replicaState().reads;
      // Read-your-writes: the replica has not replayed the token, so the primary answers.
      expect((await readClient(written.id, written.token)).statusCode).toBe(200);
      expect(replicaState().reads).toBe(before);
      // Without the token, within the allowed lag, the replica answers: it has not seen the write yet.
      expect((await readClient(written.id)).statusCode).toBe(404);
      expect(replicaState().reads).toBe(before + 1);
      // Past the allowed lag it is left out; reads go to the primary and see the write.
      await untilServing(false, MAX_LAG_MS + 10_000);
      const leftOutAfterMs = Date.now() - wroteAt;
      expect(leftOutAfterMs).toBeLessThan(MAX_LAG_MS + 1_500);
      expect(replicaState().reason).toMatch(/lags \d+ ms/);
      expect((await readClient(written.id)).statusCode).toBe(200);
      expect(replicaState().reads).toBe(before + 1);
      console.info(`paused replay: left out ${String(leftOutAfterMs)} ms after the write (max lag ${MAX_LAG_MS})`);
    } finally {
      await replication.replica.resumeReplay();
    }
    const takenBackMs = await untilServing(true, 5_000);
    console.info(`resumed replay: taken back after ${String(takenBackMs)} ms`);
    expect(takenBackMs).toBeLessThan(3_000);
  });

  it('keeps every read a 200 while the replica stops mid-run and comes back', async () => {
    await untilServing(true);
    const { id, token } = await createClient();
    await untilReplayed(token);
    const statuses: number[] = [];
    let reading = true;
    const reader = async (n: number) => {
      while (reading) {
        const answer =
          n % 2 === 0
            ? await readClient(id, n % 4 === 0 ? token : undefined)
            : await request(demo, 'GET', '/demo/clients');
        statuses.push(answer.statusCode);
      }
    };
    const readers = Array.from({ length: 4 }, (_, n) => reader(n));
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const failedBefore = replicaState().failedReads;
      await replication.replica.stop();
      const leftOutMs = await untilServing(false, 5_000);
      console.info(`replica stopped: left out ${String(leftOutMs)} ms after pg_ctl stop returned`);
      expect(leftOutMs).toBeLessThan(1_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await replication.replica.start();
      const takenBackMs = await untilServing(true, 10_000);
      console.info(`replica started: taken back ${String(takenBackMs)} ms after pg_ctl start returned`);
      expect(takenBackMs).toBeLessThan(3_000);
      const readsBack = replicaState().reads;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(replicaState().reads, 'reads go to the replica again').toBeGreaterThan(readsBack);
      console.info(
        `reads that failed on the replica and were answered by the primary: ${String(
          replicaState().failedReads - failedBefore,
        )}`,
      );
    } finally {
      reading = false;
      await Promise.all(readers);
    }
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  });

  it('leaves a replica that hangs (SIGSTOP) out within a second; reads caught on it go to the primary', async () => {
    await untilServing(true);
    const { id, token } = await createClient();
    await untilReplayed(token);
    const answers: { status: number; ms: number }[] = [];
    let reading = true;
    const reader = async (n: number) => {
      while (reading) {
        const started = Date.now();
        const answer = await readClient(id, n % 2 === 0 ? token : undefined);
        answers.push({ status: answer.statusCode, ms: Date.now() - started });
      }
    };
    const readers = Array.from({ length: 4 }, (_, n) => reader(n));
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await replication.replica.freeze();
      try {
        const leftOutMs = await untilServing(false, 5_000);
        console.info(`replica frozen: left out after ${String(leftOutMs)} ms`);
        expect(leftOutMs).toBeLessThan(1_000);
        // Reads that were waiting on it give up at the query timeout (statement timeout + 2 s) and are retried.
        await new Promise((resolve) => setTimeout(resolve, STATEMENT_TIMEOUT_MS + 3_000));
      } finally {
        await replication.replica.thaw();
      }
      const takenBackMs = await untilServing(true, 10_000);
      console.info(`replica thawed: taken back after ${String(takenBackMs)} ms`);
      expect(takenBackMs).toBeLessThan(3_000);
    } finally {
      reading = false;
      await Promise.all(readers);
    }
    const slowest = Math.max(...answers.map((answer) => answer.ms));
    console.info(`reads while frozen: ${String(answers.length)}, the slowest ${String(slowest)} ms`);
    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
    expect(slowest).toBeLessThan(STATEMENT_TIMEOUT_MS + 2_000 + 3_000);
  });

  it('works the same in instances booted from the environment, over their own HTTP ports', async () => {
    const instance = await startInstance({
      ...deployment.env,
      DATABASE_URL: bouncer.url(primaryUrl),
      DATABASE_MIGRATION_URL: primaryUrl,
      DATABASE_READ_URL: replicaUrl,
      DATABASE_READ_MAX_LAG_MS: String(MAX_LAG_MS),
    });
    try {
      const created = await fetch(`${instance.connectorUrl}/connector/profiles`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'replica-profile', name: 'Replica', type: 'sql' }),
      });
      expect(created.status).toBe(201);
      const token = created.headers.get('consistency-token') ?? '';
      expect(token).toMatch(LSN);
      const read = await fetch(`${instance.connectorUrl}/connector/profiles/replica-profile`, {
        headers: { 'consistency-token': token },
      });
      expect(read.status).toBe(200);
      const ready = await fetch(`${instance.demoConfigUrl}/ready`);
      expect(ready.status).toBe(200);
      // Readiness is the primary's; the replicas are listed beside it.
      const { replicas } = (await ready.json()) as { replicas: { location: string; serving: boolean }[] };
      expect(replicas).toHaveLength(1);
      expect(replicas[0]?.location).toContain('127.0.0.1');
      expect(typeof replicas[0]?.serving).toBe('boolean');
    } finally {
      await instance.close();
    }
  });
});
