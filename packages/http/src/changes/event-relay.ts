// Publishes the outbox to a Redis stream. Each round takes the service's next
// batch in one transaction (see storage's changes/outbox.ts: by snapshot window,
// one relay of a service at a time), XADDs it in position order in one command,
// records the progress and commits. A relay that fails or dies before its commit
// leaves the batch to the next round: at least once, and per aggregate in commit
// order. Redis down or slow: writes carry on, events wait, and go out once Redis
// answers again.
import { deletePublishedEvents, nextEventBatch, type OpenDatabase, type PendingEvent } from '@analytics-engine/storage';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import type { EventsSettings } from './events-settings.js';

/** Events per round; a full round is followed at once by the next. */
const BATCH_SIZE = 500;
/** How often an idle relay looks for events written by another instance (its own changes wake it). */
const IDLE_POLL_MS = 300;
/**
 * The least time between two rounds that were not full: under load, the events
 * of many writes go out in one round (one transaction, one pipeline) instead of
 * a round each, for at most this much more delay.
 */
const ROUND_GAP_MS = 100;
/** The longest wait between tries while Redis or the database fails. */
const MAX_BACKOFF_MS = 5_000;
const PRUNE_EVERY_MS = 60_000;
/** How often an idle relay moves its progress past the empty windows (a write). */
const RECORD_EMPTY_EVERY_MS = 5_000;
/** Sent events deleted per statement, so retention never holds a long lock. */
const PRUNE_BATCH = 1_000;

/**
 * A round's events in one command, XADDed in order by Redis itself: a reply
 * and a promise per event would cost the relay more than the events do. The
 * reply is how many were added.
 */
const XADD_EVENTS = `
for i = 1, #ARGV, 4 do
  redis.call('XADD', KEYS[1], '*',
    'id', ARGV[i], 'type', ARGV[i + 1], 'aggregate_id', ARGV[i + 2], 'event', ARGV[i + 3])
end
return #ARGV / 4`;

/** The client with XADD_EVENTS defined (ioredis sends it by its SHA, and the script when Redis lacks it). */
type EventsRedis = Redis & { xaddEvents(stream: string, ...fields: string[]): Promise<number> };

class RedisUnavailable extends Error {
  constructor(cause: unknown) {
    super('redis did not take the events', { cause });
  }
}

export interface RelayStatus {
  /** The last round reached Redis (or none has run yet). */
  readonly redisUp: boolean;
  /** Events this relay published since it started. */
  readonly published: number;
}

export interface EventRelay {
  start(): void;
  /** A change committed: publish soon. */
  wake(): void;
  status(): RelayStatus;
  stop(): Promise<void>;
}

export interface RelayOptions {
  readonly database: OpenDatabase;
  readonly service: string;
  readonly settings: EventsSettings & { readonly redisUrl: string };
  /** Where an outage and a recovery are told (the app's logger). */
  readonly log: Pick<FastifyBaseLogger, 'info' | 'warn'>;
}

export function createEventRelay({ database, service, settings, log }: RelayOptions): EventRelay {
  let running = false;
  let loop: Promise<void> | undefined;
  let redis: EventsRedis | undefined;
  let wakeUp: (() => void) | undefined;
  let stopNow: (() => void) | undefined;
  let woken = false;
  let redisUp = true;
  let failing = false;
  let published = 0;
  let lastPrune = 0;
  let lastEmptyRecorded = 0;

  /** Waits `ms`, or less when a change is committed meanwhile (unless backing off from a failure). */
  const sleep = (ms: number, wakeable: boolean) =>
    new Promise<void>((resolve) => {
      if ((wakeable && woken) || !running) {
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        stopNow = undefined;
        resolve();
      }
      wakeUp = wakeable ? done : undefined;
      stopNow = done;
    });

  async function publish(client: EventsRedis, events: readonly PendingEvent[]): Promise<void> {
    const fields: string[] = [];
    for (const event of events) fields.push(event.id, event.type, event.aggregateId, event.event);
    const added = await client.xaddEvents(settings.stream, ...fields);
    if (added !== events.length) throw new Error(`redis added ${added} of ${events.length} events`);
  }

  /** One round: how many events went out (0 when none waited or another relay holds them). */
  async function round(client: EventsRedis): Promise<number> {
    return database.db.transaction().execute(async (trx) => {
      // An idle relay records its empty windows every few seconds, not every round.
      const recordEmpty = Date.now() - lastEmptyRecorded >= RECORD_EMPTY_EVERY_MS;
      const batch = await nextEventBatch(trx, service, { limit: BATCH_SIZE, recordEmpty });
      if (!batch) return 0;
      if (batch.events.length > 0) {
        await publish(client, batch.events).catch((error: unknown) => {
          throw new RedisUnavailable(error);
        });
      }
      await batch.published();
      if (recordEmpty) lastEmptyRecorded = Date.now();
      return batch.events.length;
    });
  }

  async function prune(): Promise<void> {
    if (Date.now() - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = Date.now();
    const before = new Date(Date.now() - settings.retentionHours * 3_600_000);
    while (running && (await deletePublishedEvents(database.db, service, before, PRUNE_BATCH)) === PRUNE_BATCH);
  }

  async function run(client: EventsRedis): Promise<void> {
    let backoff = 0;
    while (running) {
      woken = false;
      try {
        const sent = await round(client);
        published += sent;
        if (failing) log.info({ event: 'events_relay_recovered' }, 'event relay: publishing again');
        failing = false;
        redisUp = true;
        backoff = 0;
        await prune();
        if (sent === BATCH_SIZE) continue;
        await sleep(ROUND_GAP_MS, false);
        await sleep(IDLE_POLL_MS - ROUND_GAP_MS, true);
      } catch (error) {
        if (!failing) {
          // Once per outage, without the URL (it may hold a password).
          const cause = error instanceof RedisUnavailable ? error.cause : error;
          log.warn(
            { event: 'events_relay_failed', reason: cause instanceof Error ? cause.message : String(cause) },
            'event relay: publishing failed; events wait in the outbox and are retried',
          );
        }
        failing = true;
        if (error instanceof RedisUnavailable) redisUp = false;
        backoff = Math.min(Math.max(backoff * 2, 100), MAX_BACKOFF_MS);
        await sleep(backoff, false);
      }
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      const client = new Redis(settings.redisUrl, {
        // Fail a round at once while Redis is away, rather than queue behind a reconnect.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        commandTimeout: 5_000,
        retryStrategy: (times) => Math.min(times * 200, 2_000),
      });
      client.defineCommand('xaddEvents', { numberOfKeys: 1, lua: XADD_EVENTS });
      redis = client as EventsRedis;
      // Reported by the rounds that fail; without a listener ioredis would print every reconnect.
      redis.on('error', () => undefined);
      loop = run(redis);
    },
    wake() {
      woken = true;
      wakeUp?.();
    },
    status: () => ({ redisUp, published }),
    async stop() {
      if (!running) return;
      running = false;
      stopNow?.();
      await loop;
      redis?.disconnect();
    },
  };
}
