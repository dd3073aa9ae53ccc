// What events cost a create: the same services with EVENTS_REDIS_URL set (every
// change writes its event into the outbox in its own transaction, and the relay
// publishes it to Redis from the same process) against the services without.
// Rounds alternate, and which of the two goes first alternates too (ABBA), so
// neither always meets the bigger table or the autovacuum the other left.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { machineCpuSeconds, measure, type Measurement } from './measure.js';
import { operations } from './operations.js';
import type { Child } from './processes.js';

interface Side {
  /** Creates per second, the mean of the rounds. */
  readonly requestsPerSecond: number;
  /** CPU of the whole machine per create (service, PostgreSQL, Redis, the load generator), in µs. */
  readonly machineMicrosPerRequest: number | null;
}

export interface OutboxCost {
  readonly operation: string;
  readonly withoutEvents: Side;
  readonly withEvents: Side;
  /** Creates per second with events over without: the target is at least 0.9. */
  readonly ratio: number;
  /** Machine CPU per create without events over with: the same cost, read off the CPU. */
  readonly cpuRatio: number | null;
}

/**
 * Six rounds, each side first in three (AB BA BA AB AB BA): a single round of a
 * few seconds swings by ±0.1 in the ratio (GIN pending-list flushes, autovacuum),
 * more than the cost measured.
 */
const ROUNDS = 6;

/** A stream of the bench's own, so a run never mixes its events with anyone's. */
export const benchStream = () => `ae-bench:${randomUUID()}`;

/** The bench's events are nobody's: the stream goes with the bench database. */
export async function dropStream(url: string, stream: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    await redis.del(stream);
  } finally {
    redis.disconnect();
  }
}

interface Rounds {
  readonly rates: number[];
  cpu: number;
  requests: number;
}

function side({ rates, cpu, requests }: Rounds): Side {
  return {
    requestsPerSecond: rates.reduce((sum, rate) => sum + rate, 0) / rates.length,
    machineMicrosPerRequest: Number.isNaN(cpu) || requests === 0 ? null : (cpu * 1e6) / requests,
  };
}

export async function measureOutboxCost(
  without: Child,
  withEvents: Child,
  options: { seeded: number; durationSeconds: number; connections: number },
): Promise<OutboxCost[]> {
  const results: OutboxCost[] = [];
  for (const operation of operations(['profiles', 'proposals'], ['create'])) {
    const rounds = new Map<Child, Rounds>([
      [without, { rates: [], cpu: 0, requests: 0 }],
      [withEvents, { rates: [], cpu: 0, requests: 0 }],
    ]);
    const run = async (target: Child): Promise<void> => {
      const url = target.urls[operation.listener] ?? '';
      await measure({ url, operation, seeded: options.seeded, durationSeconds: 1, connections: options.connections });
      const before = machineCpuSeconds();
      const measured: Measurement = await measure({ url, operation, ...options, pid: target.pid });
      const after = machineCpuSeconds();
      const totals = rounds.get(target);
      if (!totals) return;
      totals.rates.push(measured.requestsPerSecond);
      totals.cpu += before === null || after === null ? Number.NaN : after - before;
      totals.requests += measured.requests;
    };
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 4 === 0 || round % 4 === 3 ? [without, withEvents] : [withEvents, without];
      for (const target of order) await run(target);
    }
    const [off, on] = [without, withEvents].map((target) =>
      side(rounds.get(target) ?? { rates: [], cpu: 0, requests: 0 }),
    );
    if (!off || !on) continue;
    const cpuRatio =
      off.machineMicrosPerRequest === null || on.machineMicrosPerRequest === null
        ? null
        : off.machineMicrosPerRequest / on.machineMicrosPerRequest;
    results.push({
      operation: `${operation.entity} create`,
      withoutEvents: off,
      withEvents: on,
      ratio: on.requestsPerSecond / off.requestsPerSecond,
      cpuRatio,
    });
  }
  return results;
}

const micros = (side: Side) =>
  side.machineMicrosPerRequest === null ? '' : `, ${side.machineMicrosPerRequest.toFixed(0)} µs machine CPU each`;

export function formatOutboxCost(results: readonly OutboxCost[]): string {
  return results
    .map(
      (result) =>
        `${result.operation.padEnd(18)} without events ${result.withoutEvents.requestsPerSecond.toFixed(0)} req/s` +
        `${micros(result.withoutEvents)} | with events ${result.withEvents.requestsPerSecond.toFixed(0)} req/s` +
        `${micros(result.withEvents)} | ratio ${result.ratio.toFixed(2)} (target >= 0.90)` +
        (result.cpuRatio === null ? '' : `, CPU ${result.cpuRatio.toFixed(2)}`),
    )
    .join('\n');
}
