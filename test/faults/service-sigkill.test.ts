// SIGKILL of the service while writes are in flight: whatever it had
// acknowledged is stored (the database committed before it answered), what it
// never got is not, nothing is stored twice, and a new instance on the same
// database serves at once.
import { createTestDatabase } from '@analytics-engine/storage/testing';
import { describe, expect, it } from 'vitest';
import { stop } from '../run-modes/running-services.js';
import { runProcessFault } from './support/process-fault-run.js';

const IN_FLIGHT_AT_KILL = 3;

describe('SIGKILL of the service', () => {
  it('mid-write', async () => {
    const database = await createTestDatabase();
    await runProcessFault({
      name: 'sigkill',
      databaseUrl: database.url,
      strike: async (services, load) => {
        // Strike while writers wait for answers, so that some writes are cut mid-way.
        const deadline = Date.now() + 10_000;
        while (load.inFlight() < IN_FLIGHT_AT_KILL && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
        const inFlight = load.inFlight();
        expect(await stop(services, 'SIGKILL')).toBe('SIGKILL');
        return `${inFlight} writes in flight when killed`;
      },
    });
  });
});
