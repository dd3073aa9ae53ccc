// A fast and an immediate restart of PostgreSQL under write load, in a cluster
// this file creates on its own port (never the shared one): while it is down
// or recovering every request gets 503 with Retry-After at once, the pool heals
// by itself when it is back, and no write is lost or doubled.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startDedicatedCluster, type DedicatedCluster } from '../support/dedicated-cluster.js';
import { runFault } from './support/fault-run.js';

describe('PostgreSQL restart', () => {
  let cluster: DedicatedCluster | undefined;
  beforeAll(async () => {
    cluster = await startDedicatedCluster();
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  it.each<['fast' | 'immediate']>([['fast'], ['immediate']])('%s', async (mode) => {
    const own = cluster;
    if (!own) throw new Error('no cluster');
    await runFault({
      name: `restart-${mode}`,
      databaseUrl: await own.createDatabase(`fault_${mode}`),
      inject: async () => {
        const started = Date.now();
        await own.restart(mode);
        return `down and back in ${Date.now() - started} ms`;
      },
    });
  });
});
