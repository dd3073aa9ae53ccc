// Issue 5's run modes, on the real entry point: data survives a SIGTERM and a
// restart (embedded and PostgreSQL), a second process on the same data
// directory is refused, a SIGKILL loses no acknowledged write, and a shutdown
// lets in-flight requests finish.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrationNames } from '@analytics-engine/storage';
import { createTestDatabase } from '@analytics-engine/storage/testing';
import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { postJson, startProcess, startServices, stop, type RunningProcess } from './running-services.js';

// Each test boots the real entry point one to three times; on two cores shared with the rest of the suite one
// boot can take 25 s, so the suite's 30 s per test would fail them for the machine's load, not the service's.
vi.setConfig({ testTimeout: 150_000 });

const client = (id: string) => ({
  client_id: id,
  client_name: `Client ${id}`,
  license_type: 'professional',
  modules: ['SCOR', 'CRM'],
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each([
  ['embedded PGlite', () => Promise.resolve({ DATA_DIR: mkdtempSync(join(tmpdir(), 'ae-restart-')) })],
  // DATA_DIR holds the Connector's development key in both modes.
  [
    'PostgreSQL',
    async () => ({ DATABASE_URL: (await createTestDatabase()).url, DATA_DIR: mkdtempSync(join(tmpdir(), 'ae-pg-')) }),
  ],
])('%s', (_mode, environment) => {
  it('keeps data across SIGTERM and a restart', async () => {
    const env = await environment();
    const first = await startServices(env);
    const created = await postJson(`${first.demoConfigUrl}/demo/clients`, client('persist-test'));
    expect(created.status).toBe(201);
    const profile = await postJson(`${first.connectorUrl}/connector/profiles`, {
      id: 'persist-test',
      name: 'Persistence Test',
      type: 'sql',
    });
    expect(profile.status).toBe(201);
    expect(await stop(first)).toBe(0);

    const second = await startServices(env);
    try {
      const read = await fetch(`${second.demoConfigUrl}/demo/clients/persist-test`);
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject(client('persist-test'));
      const readProfile = await fetch(`${second.connectorUrl}/connector/profiles/persist-test`);
      expect(await readProfile.json()).toMatchObject({ id: 'persist-test', name: 'Persistence Test', type: 'sql' });
    } finally {
      expect(await stop(second)).toBe(0);
    }
    // Two boots, each allowed startServices' 60 s: on two busy cores a PGlite boot alone can take 15 s.
  }, 150_000);
});

describe('PostgreSQL', () => {
  it('runs two instances of each service on one database, booting at the same moment', async () => {
    const env = {
      DATABASE_URL: (await createTestDatabase({ migrated: false })).url,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'ae-two-')),
    };
    const [a, b] = await Promise.all([startServices(env), startServices(env)]);
    try {
      expect((await postJson(`${a.demoConfigUrl}/demo/clients`, client('shared'))).status).toBe(201);
      expect((await fetch(`${b.demoConfigUrl}/demo/clients/shared`)).status).toBe(200);
      expect((await fetch(`${b.connectorUrl}/ready`)).status).toBe(200);
      // The migrations ran in exactly one of them.
      const ran = [a, b].map((p) => (p.output().match(/Running upgrade/g) ?? []).length).sort();
      expect(ran).toEqual([0, migrationNames.length]);
    } finally {
      await Promise.all([stop(a), stop(b)]);
    }
  });
});

describe('embedded data directory', () => {
  it('refuses a second process at once, naming the holder', async () => {
    const env = { DATA_DIR: mkdtempSync(join(tmpdir(), 'ae-second-')) };
    const first = await startServices(env);
    try {
      const second = startProcess(env);
      const code = await second.exited;
      expect(code).toBe(1);
      expect(second.output()).toMatch(
        new RegExp(`cannot start: data directory .* is in use by pid ${first.child.pid ?? 0} `),
      );
    } finally {
      await stop(first);
    }
  });

  it('loses no acknowledged write to a SIGKILL, and reopens cleanly', async () => {
    const env = { DATA_DIR: mkdtempSync(join(tmpdir(), 'ae-kill-')) };
    const first = await startServices(env);
    const acknowledged: string[] = [];
    let writing = true;
    const writers = [0, 1, 2, 3].map(async (writer) => {
      for (let i = 0; writing; i++) {
        const id = `kill-${writer}-${i}`;
        try {
          const response = await postJson(`${first.demoConfigUrl}/demo/clients`, client(id));
          if (response.status === 201) acknowledged.push(id);
        } catch {
          return; // the process is gone: this write's fate is unknown, and not counted
        }
      }
    });
    while (acknowledged.length < 40) await pause(20);
    first.child.kill('SIGKILL');
    writing = false;
    await Promise.all(writers);
    await first.exited;

    const second = await startServices(env);
    try {
      for (const id of acknowledged) {
        expect((await fetch(`${second.demoConfigUrl}/demo/clients/${id}`)).status, id).toBe(200);
      }
    } finally {
      await stop(second);
    }
  });
});

/** The services on a fresh PostgreSQL database, with client `id` stored. */
async function servicesWithClient(id: string, dataDirPrefix: string) {
  const database = await createTestDatabase();
  const running = await startServices({
    DATABASE_URL: database.url,
    DATA_DIR: mkdtempSync(join(tmpdir(), dataDirPrefix)),
  });
  expect((await postJson(`${running.demoConfigUrl}/demo/clients`, client(id))).status).toBe(201);
  return { running, databaseUrl: database.url };
}

/** Another session takes client `id`'s row for update and holds it until it commits or rolls back. */
async function lockClientRow(databaseUrl: string, id: string): Promise<pg.Client> {
  const blocker = new pg.Client({ connectionString: databaseUrl });
  await blocker.connect();
  await blocker.query('begin');
  await blocker.query('select * from client_configs where client_id = $1 for update', [id]);
  return blocker;
}

/** A PATCH of client `id`'s name: sent at once, answered only once the row is free. */
function patchClientName(running: RunningProcess, id: string, name: string): Promise<Response> {
  return fetch(`${running.demoConfigUrl}/demo/clients/${id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: name }),
  });
}

describe('graceful shutdown', () => {
  it('finishes an in-flight request, ignores idle keep-alive clients, and exits 0 within seconds', async () => {
    const { running, databaseUrl } = await servicesWithClient('busy', 'ae-shutdown-');
    // An idle keep-alive connection stays open through the shutdown.
    await fetch(`${running.demoConfigUrl}/health`, { keepalive: true });

    // Hold the row so the PATCH below is in flight when SIGTERM arrives.
    const blocker = await lockClientRow(databaseUrl, 'busy');
    const patch = patchClientName(running, 'busy', 'Finished during shutdown');
    await pause(300);
    const started = Date.now();
    running.child.kill('SIGTERM');
    await pause(300);
    await blocker.query('commit');
    await blocker.end();

    const response = await patch;
    expect(response.status).toBe(200);
    expect(await running.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(running.output()).toContain('SIGTERM received');
  });

  it('exits at once on a second signal, even with a request still in flight', async () => {
    const { running, databaseUrl } = await servicesWithClient('stuck', 'ae-second-signal-');
    const blocker = await lockClientRow(databaseUrl, 'stuck');
    try {
      const patch = patchClientName(running, 'stuck', 'never').catch(() => 'connection closed');
      await pause(300);
      running.child.kill('SIGTERM');
      await pause(300);
      const second = Date.now();
      running.child.kill('SIGTERM');
      expect(await running.exited).toBe(1);
      expect(Date.now() - second).toBeLessThan(5_000); // not the 10 s grace period
      expect(await patch).toBe('connection closed');
    } finally {
      await blocker.query('rollback');
      await blocker.end();
    }
  });
});
