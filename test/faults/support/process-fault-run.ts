// One fault of the service process itself (SIGKILL, SIGTERM), end to end:
// write load on one instance, strike it, let the writers hit the dead address
// for a moment, then start a second instance on the same database and require
// that it serves writes, stops cleanly, and that every write of both kept the
// promises.
import type { RunningProcess } from '../../run-modes/running-services.js';
import { expectCleanStop, expectHealthy, faultServices } from './fault-services.js';
import { faultDatabaseUrl, HEAL_WITHIN_MS, HEALED_WRITES, WARM_UP_WRITES, type FaultTarget } from './fault-run.js';
import { judgeFault } from './judge-fault.js';
import { startWriteLoad, untilAcknowledged, type WriteLoad, type WriteRecord } from './write-load.js';

export interface ProcessFaultRun extends FaultTarget {
  /**
   * Strikes the process, waits for it to exit and checks how it did; resolves
   * with anything to add to the report line.
   */
  readonly strike: (services: RunningProcess, load: WriteLoad) => Promise<string>;
}

/** Writes sent to the dead address: refused connections, which must stay unstored. */
const AFTER_EXIT_MS = 300;

export async function runProcessFault(run: ProcessFaultRun): Promise<readonly WriteRecord[]> {
  const databaseUrl = await faultDatabaseUrl(run);
  const instances = faultServices(databaseUrl, run.env);
  const loads: WriteLoad[] = [];
  try {
    const first = await instances.start();
    const before = startWriteLoad(first, run.name);
    loads.push(before);
    await untilAcknowledged(before, WARM_UP_WRITES);
    const extra = await run.strike(first, before);
    await new Promise((resolve) => setTimeout(resolve, AFTER_EXIT_MS));
    const struck = await before.stop();

    const second = await instances.start();
    const after = startWriteLoad(second, `${run.name}-after`);
    loads.push(after);
    await untilAcknowledged(after, HEALED_WRITES, HEAL_WITHIN_MS);
    const records = [...struck, ...(await after.stop())];
    await expectHealthy(second);
    await expectCleanStop(second);
    await judgeFault(run.name, databaseUrl, records, extra);
    return records;
  } finally {
    await Promise.all(loads.map((load) => load.stop()));
    await instances.dispose();
  }
}
