// One database fault, end to end: start the real services, run the write load,
// inject the fault, then require that the same process serves writes again
// (the pool healed by itself), stops cleanly, and kept every promise.
import { createTestDatabase } from '@analytics-engine/storage/testing';
import type { RunningProcess } from '../../run-modes/running-services.js';
import { expectCleanStop, expectHealthy, faultServices } from './fault-services.js';
import { judgeFault } from './judge-fault.js';
import { startWriteLoad, untilAcknowledged, type LoadOptions, type WriteLoad, type WriteRecord } from './write-load.js';

export interface FaultContext {
  readonly services: RunningProcess;
  readonly load: WriteLoad;
  readonly databaseUrl: string;
}

/** What every fault run names: itself, the services' database and their extra environment. */
export interface FaultTarget {
  readonly name: string;
  /** The services' database; by default a fresh clone of the migrated template on the shared server. */
  readonly databaseUrl?: string;
  /** Extra environment for the services (pool size, timeouts). */
  readonly env?: NodeJS.ProcessEnv;
}

export async function faultDatabaseUrl(target: FaultTarget): Promise<string> {
  return target.databaseUrl ?? (await createTestDatabase()).url;
}

export interface FaultRun extends FaultTarget {
  readonly load?: LoadOptions;
  /**
   * Injects the fault and resolves once it is over (the database is back, the
   * lock released...), with anything to add to the report line.
   */
  readonly inject: (context: FaultContext) => Promise<string | undefined>;
}

/** Acknowledged writes before the fault, so that it hits a service under load. */
export const WARM_UP_WRITES = 100;
/** Acknowledged after the fault, within HEAL_WITHIN_MS, by the same process: the pool healed. */
export const HEALED_WRITES = 50;
export const HEAL_WITHIN_MS = 30_000;

export async function runFault(run: FaultRun): Promise<readonly WriteRecord[]> {
  const databaseUrl = await faultDatabaseUrl(run);
  const instances = faultServices(databaseUrl, run.env);
  let load: WriteLoad | undefined;
  try {
    const services = await instances.start();
    load = startWriteLoad(services, run.name, run.load);
    await untilAcknowledged(load, WARM_UP_WRITES);
    const extra = await run.inject({ services, load, databaseUrl });
    // Healed: new writes are acknowledged again by the same process, without a restart.
    await untilAcknowledged(load, load.acknowledged() + HEALED_WRITES, HEAL_WITHIN_MS);
    const records = await load.stop();
    await expectHealthy(services);
    await expectCleanStop(services);
    await judgeFault(run.name, databaseUrl, records, extra);
    return records;
  } finally {
    await load?.stop();
    await instances.dispose();
  }
}
