// One measurement: autocannon drives an operation for D seconds at C
// connections while the target process's RSS is sampled from /proc.
import { readdirSync, readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { Operation } from './operations.js';
import { AUTHORIZATION } from './production-config.js';

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
  /** CPU time (user + system, every thread) the measured process spent per completed request, in µs. */
  readonly cpuMicrosPerRequest: number | null;
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on every Linux that Node supports). */
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds of a /proc/<pid>/stat line. */
function statCpuSeconds(stat: string, withReapedChildren = false): number {
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name; cutime and cstime, of
  // the children it has waited for, are 16 and 17.
  const own = Number(fields[11]) + Number(fields[12]);
  const children = withReapedChildren ? Number(fields[13]) + Number(fields[14]) : 0;
  return (own + children) / TICKS_PER_SECOND;
}

/** User + system CPU seconds a process has used so far, or null when it cannot be read. */
export function cpuSeconds(pid: number): number | null {
  try {
    return statCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * CPU seconds the whole machine has spent so far (user, nice, system, irq,
 * softirq, steal of /proc/stat; not idle or iowait), or null off Linux: what a
 * load costs every process it touches (the database and Redis included).
 */
export function machineCpuSeconds(): number | null {
  try {
    const [, ...fields] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
    const busy = [user, nice, system, irq, softirq, steal].reduce<number>((sum, value) => sum + (value ?? 0), 0);
    return Number.isFinite(busy) ? busy / TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}

/**
 * CPU seconds used so far by every process whose command name is `name`
 * (postgres, redis-server), with what their exited children used (the
 * postmaster reaps its autovacuum workers and closed backends, which would
 * otherwise take their share with them), or null off Linux.
 */
export function commandCpuSeconds(name: string): number | null {
  try {
    let total = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue;
      }
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === name) total += statCpuSeconds(stat, true);
    }
    return total;
  } catch {
    return null;
  }
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

/** One load: autocannon sends `next()`'s requests (with `headers`) for D seconds at C connections. */
export interface Load {
  readonly url: string;
  readonly durationSeconds: number;
  readonly connections: number;
  /** The next request to send (method, path, body, its own headers). */
  readonly next: () => autocannon.Request;
  /** Sent with every request; by default the bench's API key (the bare server and the peer ignore it). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The process whose RSS is sampled every 250 ms and whose CPU time is counted. */
  readonly pid?: number | undefined;
}

export interface LoadOptions extends Omit<Load, 'next'> {
  readonly operation: Operation;
  /** Rows of the operation's entity that exist (random ids are drawn from 1..seeded). */
  readonly seeded: number;
  /** The request to send instead of the operation's own (a peer with other paths). */
  readonly next?: (seeded: number) => autocannon.Request;
}

/** An operation's load: its requests over the seeded rows. */
export function measure(options: LoadOptions): Promise<Measurement> {
  const { operation, seeded } = options;
  const next = options.next ?? operation.next;
  return load({ ...options, next: () => next(seeded) });
}

export async function load(options: Load): Promise<Measurement> {
  const { next, pid } = options;
  const headers = options.headers ?? AUTHORIZATION;
  const rss = sampleRss(pid, 250);
  const cpuBefore = pid === undefined ? null : cpuSeconds(pid);
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    requests: [
      {
        setupRequest: (request) => {
          const built = next();
          return { ...request, ...built, headers: { ...built.headers, ...headers } };
        },
      },
    ],
  });
  const cpuAfter = pid === undefined ? null : cpuSeconds(pid);
  const samples = rss.stop();
  const requests = result.requests.total;
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors,
    requests,
    peakRssMiB: samples.length > 0 ? Math.max(...samples) : null,
    cpuMicrosPerRequest:
      cpuBefore === null || cpuAfter === null || requests === 0 ? null : ((cpuAfter - cpuBefore) * 1e6) / requests,
  };
}
