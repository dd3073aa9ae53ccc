// The real services (`pnpm start`'s entry point, both in one process) as the
// fault tests run them: short database timeouts, so that every fault resolves
// in seconds, and a data directory of their own for the Connector's key.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { startServices, stop, type RunningProcess } from '../../run-modes/running-services.js';

export const FAULT_TIMEOUTS = { connectMs: 2_000, statementMs: 3_000 } as const;

/**
 * The longest any request may take: waiting for a pooled connection, then one
 * statement up to the client's query timeout (statement timeout + 2 s), plus
 * slack for two busy cores. A hang shows as a request over this bound.
 */
export const ANSWER_BOUND_MS = FAULT_TIMEOUTS.connectMs + FAULT_TIMEOUTS.statementMs + 2_000 + 5_000;

export interface FaultServices {
  /** Starts an instance; a test that kills one starts the next with the same settings and data directory. */
  start(): Promise<RunningProcess>;
  /** Kills what still runs and removes the data directory. */
  dispose(): Promise<void>;
}

export function faultServices(databaseUrl: string, extra: NodeJS.ProcessEnv = {}): FaultServices {
  const dataDir = mkdtempSync(join(tmpdir(), 'ae-fault-'));
  const env = {
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    DATABASE_CONNECT_TIMEOUT_MS: String(FAULT_TIMEOUTS.connectMs),
    DATABASE_STATEMENT_TIMEOUT_MS: String(FAULT_TIMEOUTS.statementMs),
    ...extra,
  };
  const started: RunningProcess[] = [];
  return {
    async start() {
      const services = await startServices(env);
      started.push(services);
      return services;
    },
    async dispose() {
      try {
        for (const services of started) if (isRunning(services)) await stop(services, 'SIGKILL');
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

function isRunning(services: RunningProcess): boolean {
  return services.child.exitCode === null && services.child.signalCode === null;
}

/** Still running, and both services answer /ready: the pool serves again. */
export async function expectHealthy(services: RunningProcess): Promise<void> {
  expect(isRunning(services), `the service exited:\n${tail(services.output())}`).toBe(true);
  for (const url of [services.demoConfigUrl, services.connectorUrl]) {
    expect((await fetch(`${url}/ready`)).status, `${url}/ready`).toBe(200);
  }
}

/** SIGTERM, and a clean exit (0): no crash hid behind the fault. */
export async function expectCleanStop(services: RunningProcess): Promise<void> {
  expect(await stop(services), `exit after SIGTERM:\n${tail(services.output())}`).toBe(0);
}

export function tail(output: string, lines = 40): string {
  return output.split('\n').slice(-lines).join('\n');
}
