// SIGKILL of the service while writes are in flight: whatever it had
// acknowledged is stored (the database committed before it answered), what it
// never got is not, nothing is stored twice, and a new instance on the same
// database serves at once.
import { describe, expect, it } from 'vitest';
import { stop } from '../run-modes/running-services.js';
import { runProcessFault } from './support/process-fault-run.js';
import { untilInFlight } from './support/write-load.js';

const IN_FLIGHT_AT_KILL = 3;

describe('SIGKILL of the service', () => {
  it('mid-write', async () => {
    await runProcessFault({
      name: 'sigkill',
      strike: async (services, load) => {
        const inFlight = await untilInFlight(load, IN_FLIGHT_AT_KILL);
        expect(await stop(services, 'SIGKILL')).toBe('SIGKILL');
        return `${inFlight} writes in flight when killed`;
      },
    });
  });
});
