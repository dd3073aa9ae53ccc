// One measurement: autocannon drives an operation for D seconds at C
// connections while the target process's RSS is sampled from /proc.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { Operation } from './operations.js';

export interface Measurement {
  readonly requestsPerSecond: number;
  /** Milliseconds. */
  readonly p50: number;
  readonly p99: number;
  /** Non-2xx responses plus socket errors and timeouts. */
  readonly errors: number;
  readonly requests: number;
  /** Peak resident set of the measured process during the run, in MiB; null when not sampled. */
  readonly peakRssMiB: number | null;
}

/** VmRSS of a process in MiB, or null when it cannot be read (not Linux, process gone). */
export function rssMiB(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Samples RSS every `everyMs` until stopped; returns every sample. */
export function sampleRss(pid: number | undefined, everyMs: number): { stop(): number[] } {
  const samples: number[] = [];
  const take = () => {
    if (pid === undefined) return;
    const value = rssMiB(pid);
    if (value !== null) samples.push(value);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

export interface LoadOptions {
  readonly url: string;
  readonly operation: Operation;
  /** Rows of the operation's entity that exist (random ids are drawn from 1..seeded). */
  readonly seeded: number;
  readonly durationSeconds: number;
  readonly connections: number;
  /** The process whose RSS is sampled every 250 ms. */
  readonly pid?: number | undefined;
}

export async function measure(options: LoadOptions): Promise<Measurement> {
  const { operation, seeded } = options;
  const rss = sampleRss(options.pid, 250);
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    requests: [{ setupRequest: (request) => ({ ...request, ...operation.next(seeded) }) }],
  });
  const samples = rss.stop();
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors,
    requests: result.requests.total,
    peakRssMiB: samples.length > 0 ? Math.max(...samples) : null,
  };
}
