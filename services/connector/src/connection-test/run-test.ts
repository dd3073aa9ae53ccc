// One connection test: pick the source's probe, hold it to the deadline, and turn
// whatever happens into a result with a typed error code. Nothing here returns or
// logs a driver's message; only our own messages built from codes.
import type { ConnectorType } from '@analytics-engine/storage';
import type { ConnectionTestConfig } from '../config.js';
import { probeApi } from './api-source.js';
import type { DiscoveryOptions, SchemaInfo } from './discovery.js';
import { createDeadlineRunner } from './deadline.js';
import { ConnectionTestError, errorLabel, findConnectionTestError, type ConnectionErrorCode } from './errors.js';
import { probeFile } from './file-source.js';
import type { ProbeContext, ProbeInput, ProbeResult } from './probe.js';
import { probeSql } from './sql-source.js';

export interface TestOptions {
  readonly discover?: DiscoveryOptions | undefined;
  /** The overall deadline asked for; capped by CONNECTOR_TEST_TIMEOUT_MS. */
  readonly timeoutMs?: number | undefined;
}

export interface TestResult {
  status: 'success' | 'failed';
  latency_ms: number;
  tested_at: string;
  error?: { code: ConnectionErrorCode; message: string };
  schema_info?: SchemaInfo;
  discovery?: { tables: number; truncated: boolean };
}

export interface ConnectionTester {
  /**
   * Never throws: every failure is a result. An `unusable` error (e.g. an unreadable secret) fails without connecting.
   */
  test(
    type: ConnectorType,
    input: ProbeInput,
    options: TestOptions,
    unusable?: ConnectionTestError,
  ): Promise<TestResult>;
}

const probes: Record<ConnectorType, (input: ProbeInput, context: ProbeContext) => Promise<ProbeResult>> = {
  sql: probeSql,
  api: probeApi,
  excel: probeFile,
};

export function createConnectionTester(
  config: ConnectionTestConfig,
  onUnexpected: (label: string) => void,
): ConnectionTester {
  const withinDeadline = createDeadlineRunner(config);
  return {
    async test(type, input, options, unusable) {
      const started = performance.now();
      const testedAt = new Date().toISOString();
      let outcome: ProbeResult | ConnectionTestError;
      try {
        if (unusable) throw unusable;
        outcome = await withinDeadline(options.timeoutMs, options.discover, (context) => probes[type](input, context));
      } catch (error) {
        const known = findConnectionTestError(error);
        if (!known) onUnexpected(errorLabel(error));
        outcome =
          known ?? new ConnectionTestError('unreachable', `the test failed unexpectedly (${errorLabel(error)})`);
      }
      const latency = Math.round(performance.now() - started);
      if (outcome instanceof ConnectionTestError) {
        return {
          status: 'failed',
          latency_ms: latency,
          tested_at: testedAt,
          error: { code: outcome.code, message: outcome.message },
        };
      }
      const { discovery } = outcome;
      return {
        status: 'success',
        latency_ms: latency,
        tested_at: testedAt,
        ...(discovery
          ? {
              schema_info: discovery.schemaInfo,
              discovery: { tables: discovery.schemaInfo.tables.length, truncated: discovery.truncated },
            }
          : {}),
      };
    },
  };
}
