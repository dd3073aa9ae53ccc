// One database fault, end to end: start the real services, run the write load,
// inject the fault, then require that the same process serves writes again
// (the pool healed by itself), stops cleanly, and kept every promise.
import type { RunningProcess } from '../../run-modes/running-services.js';
import { expectCleanStop, expectHealthy, faultServices } from './fault-services.js';
import { judgeFault } from './judge-fault.js';
import { startWriteLoad, untilAcknowledged, type LoadOptions, type WriteLoad, type WriteRecord } from './write-load.js';

export interface FaultContext {
  readonly services: RunningProcess;
  readonly load: WriteLoad;
  readonly databaseUrl: string;
}

export interface FaultRun {
  readonly name: string;
  readonly databaseUrl: string;
  /** Extra environment for the services (pool size, timeouts). */
  readonly env?: NodeJS.ProcessEnv;
  readonly load?: LoadOptions;
  /** Acknowledged writes before the fault, so that it hits a service under load. */
  readonly warmUp?: number;
  /**
   * Injects the fault and resolves once it is over (the database is back, the
   * lock released...), with anything to add to the report line.
   */
  readonly inject: (context: FaultContext) => Promise<string | undefined>;
  /** How long the service may take to acknowledge writes again once the fault is over. */
  readonly healWithinMs?: number;
}

export async function runFault(run: FaultRun): Promise<readonly WriteRecord[]> {
  const instances = faultServices(run.databaseUrl, run.env);
  let load: WriteLoad | undefined;
  try {
    const services = await instances.start();
    load = startWriteLoad(services, run.name, run.load);
    await untilAcknowledged(load, run.warmUp ?? 100);
    const extra = await run.inject({ services, load, databaseUrl: run.databaseUrl });
    // Healed: new writes are acknowledged again by the same process, without a restart.
    await untilAcknowledged(load, load.acknowledged() + 50, run.healWithinMs ?? 30_000);
    const records = await load.stop();
    await expectHealthy(services);
    await expectCleanStop(services);
    await judgeFault(run.name, run.databaseUrl, records, extra);
    return records;
  } finally {
    await load?.stop();
    await instances.dispose();
  }
}
