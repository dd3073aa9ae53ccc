// What the relay costs per event, apart from the writes: a backlog written into
// the bench database for a service of its own, then drained by the services'
// relay in this process (idle otherwise), with the CPU of this process,
// PostgreSQL and Redis read around the drain. Steadier than the outbox cost on
// create, which is a difference of two loaded runs.
import { randomUUID } from 'node:crypto';
import { createEventRelay, publishedEvent } from '@analytics-engine/http';
import { appendChanges, databaseConfigFromEnv, openDatabase, type OutboxEvent } from '@analytics-engine/storage';
import { commandCpuSeconds } from './measure.js';

export interface RelayCost {
  readonly events: number;
  readonly milliseconds: number;
  /** CPU per event published, in µs: the relay's process, PostgreSQL and Redis. */
  readonly micros: { readonly relay: number; readonly postgres: number | null; readonly redis: number | null };
}

/** Events written per transaction while the backlog is made. */
const WRITE_BATCH = 500;
/** Published events are waited for this often. */
const POLL_MS = 5;

/** A connection.created as the Connector writes it, for a profile of its own. */
function outboxEvent(service: string): OutboxEvent {
  const [id, profile, type] = [randomUUID(), `relay-${randomUUID()}`, 'connection.created'];
  const envelope = { id, type, occurred_at: new Date().toISOString(), service, actor: 'bench' };
  const event = publishedEvent(envelope, { connection_id: profile, connection_type: 'sql' });
  return { aggregateId: profile, id, type, service, event };
}

/** The relay tells an outage: the bench says it on stderr, and the drain waits for the recovery. */
const relayLog = {
  info: () => undefined,
  warn: (fields: object, message?: string) => process.stderr.write(`${message ?? ''} ${JSON.stringify(fields)}\n`),
};

/** CPU seconds so far: this process (the relay's), PostgreSQL's and Redis's. */
function cpuShares() {
  const usage = process.cpuUsage();
  const relay = (usage.user + usage.system) / 1e6;
  return { relay, postgres: commandCpuSeconds('postgres'), redis: commandCpuSeconds('redis-server') };
}

export async function measureRelayCost(options: {
  databaseUrl: string;
  redisUrl: string;
  stream: string;
  events: number;
}): Promise<RelayCost> {
  const service = `bench-relay-${randomUUID().slice(0, 8)}`;
  const database = await openDatabase(databaseConfigFromEnv({ DATABASE_URL: options.databaseUrl }, 'ae-bench-relay'));
  try {
    for (let written = 0; written < options.events; written += WRITE_BATCH) {
      const count = Math.min(WRITE_BATCH, options.events - written);
      const events = Array.from({ length: count }, () => outboxEvent(service));
      await database.db.transaction().execute((trx) => appendChanges(trx, [], events));
    }
    const relay = createEventRelay({
      database,
      service,
      settings: { redisUrl: options.redisUrl, stream: options.stream, retentionHours: 24, backlogLimit: Infinity },
      log: relayLog,
    });
    const before = cpuShares();
    const started = performance.now();
    relay.start();
    const drained = () => relay.status().published >= options.events;
    while (!drained()) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const milliseconds = performance.now() - started;
    const after = cpuShares();
    await relay.stop();
    const per = (from: number | null, to: number | null) =>
      from === null || to === null ? null : ((to - from) * 1e6) / options.events;
    return {
      events: options.events,
      milliseconds,
      micros: {
        relay: ((after.relay - before.relay) * 1e6) / options.events,
        postgres: per(before.postgres, after.postgres),
        redis: per(before.redis, after.redis),
      },
    };
  } finally {
    await database.close();
  }
}

export function formatRelayCost({ events, milliseconds, micros }: RelayCost): string {
  const share = (name: string, value: number | null) => (value === null ? '' : `, ${name} ${value.toFixed(1)}`);
  return (
    `relay drain of ${events.toLocaleString('en-US')} events: ${milliseconds.toFixed(0)} ms; CPU µs per event: ` +
    `relay ${micros.relay.toFixed(1)}${share('postgres', micros.postgres)}${share('redis', micros.redis)}`
  );
}
