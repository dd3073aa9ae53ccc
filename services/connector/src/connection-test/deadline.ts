// What a connection test and a preview both run under: the egress policy, the
// connect timeout and the overall deadline (as asked, capped by
// CONNECTOR_TEST_TIMEOUT_MS). When the deadline passes the source call is aborted
// and the run fails as a timeout; the timer and the signal are released however it ends.
import type { ConnectionTestConfig } from '../config.js';
import type { DiscoveryOptions } from './discovery.js';
import { createEgressPolicy } from './egress-policy.js';
import { ConnectionTestError } from './errors.js';
import type { ProbeContext } from './probe.js';

export type WithinDeadline = <T>(
  timeoutMs: number | undefined,
  discover: DiscoveryOptions | undefined,
  work: (context: ProbeContext) => Promise<T>,
) => Promise<T>;

export function createDeadlineRunner(config: ConnectionTestConfig): WithinDeadline {
  const policy = createEgressPolicy(config.egressAllow, config.ownPorts);
  return async function withinDeadline<T>(
    timeoutMs: number | undefined,
    discover: DiscoveryOptions | undefined,
    work: (context: ProbeContext) => Promise<T>,
  ): Promise<T> {
    const deadlineMs = Math.min(timeoutMs ?? config.deadlineMs, config.deadlineMs);
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new ConnectionTestError('timeout', `no answer within the ${String(deadlineMs)} ms deadline`));
      }, deadlineMs);
    });
    const context: ProbeContext = {
      policy,
      connectTimeoutMs: Math.min(config.connectTimeoutMs, deadlineMs),
      deadlineMs,
      signal: controller.signal,
      discover,
      filesDir: config.filesDir,
    };
    try {
      const running = work(context);
      // Once the deadline wins, a late failure of the abandoned call is expected.
      running.catch(() => undefined);
      return await Promise.race([running, expired]);
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  };
}
