// What events cost a create: the same services with EVENTS_REDIS_URL set (every
// change writes its event into the outbox in its own transaction, and the relay
// publishes it to Redis from the same process) against the services without,
// rounds alternating so both meet the same machine.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { measure, type Measurement } from './measure.js';
import { operations } from './operations.js';
import type { Child } from './processes.js';

export interface OutboxCost {
  readonly operation: string;
  readonly withoutEvents: number;
  readonly withEvents: number;
  /** Creates per second with events over without: the target is at least 0.9. */
  readonly ratio: number;
}

const ROUNDS = 3;

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

export async function measureOutboxCost(
  without: Child,
  withEvents: Child,
  options: { seeded: number; durationSeconds: number; connections: number },
): Promise<OutboxCost[]> {
  const results: OutboxCost[] = [];
  for (const operation of operations(['profiles', 'proposals'], ['create'])) {
    const run = async (target: Child): Promise<Measurement> => {
      const url = target.urls[operation.listener] ?? '';
      await measure({ url, operation, seeded: options.seeded, durationSeconds: 1, connections: options.connections });
      return measure({ url, operation, ...options, pid: target.pid });
    };
    const rates = { without: [] as number[], with: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      rates.without.push((await run(without)).requestsPerSecond);
      rates.with.push((await run(withEvents)).requestsPerSecond);
    }
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const [off, on] = [mean(rates.without), mean(rates.with)];
    results.push({ operation: `${operation.entity} create`, withoutEvents: off, withEvents: on, ratio: on / off });
  }
  return results;
}

export function formatOutboxCost(results: readonly OutboxCost[]): string {
  return results
    .map(
      (result) =>
        `${result.operation.padEnd(18)} without events ${result.withoutEvents.toFixed(0)} req/s | ` +
        `with events ${result.withEvents.toFixed(0)} req/s | ratio ${result.ratio.toFixed(2)} (target >= 0.90)`,
    )
    .join('\n');
}
