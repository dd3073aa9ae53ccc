// Wires the change log into an app: the log routes record through, and, with
// events on, the relay that publishes them (started with the app, woken by each
// answered request that changed something, stopped when the app closes).
import { outboxBacklog, type OpenDatabase, type OutboxBacklog } from '@analytics-engine/storage';
import type { FastifyInstance } from 'fastify';
import type { ServiceMetrics } from '../metrics/app-metrics.js';
import { createChangeLog } from './change-log.js';
import { createEventRelay, type EventRelay } from './event-relay.js';
import type { EventsSettings } from './events-settings.js';

/** A backlog count is shared by the reads of one scrape, which all come within this. */
const SCRAPE_READ_MS = 1_000;

export function registerChangeLog(
  app: FastifyInstance,
  database: OpenDatabase,
  service: string,
  settings: EventsSettings,
  metrics: ServiceMetrics,
): EventRelay | undefined {
  const { redisUrl } = settings;
  app.decorate('changeLog', createChangeLog(service, redisUrl !== undefined));
  app.decorateRequest('changed', false);
  if (redisUrl === undefined) return undefined;
  const relay = createEventRelay({ database, service, settings: { ...settings, redisUrl }, log: app.log });
  app.addHook('onReady', (done) => {
    relay.start();
    done();
  });
  app.addHook('onResponse', (request, _reply, done) => {
    if (request.changed) relay.wake();
    done();
  });
  app.addHook('onClose', () => relay.stop());
  // Read once per scrape for both gauges: the second gauge of a scrape reuses the first one's count.
  let lastRead: { at: number; backlog: Promise<OutboxBacklog> } | undefined;
  const backlog = () => {
    if (!lastRead || Date.now() - lastRead.at > SCRAPE_READ_MS) {
      lastRead = { at: Date.now(), backlog: outboxBacklog(database.db, service) };
    }
    return lastRead.backlog;
  };
  metrics.addGauge({
    name: 'events_outbox_backlog',
    help: 'Events waiting in the outbox to be published',
    read: async () => (await backlog()).pending,
  });
  metrics.addGauge({
    name: 'events_relay_lag_seconds',
    help: 'How long the oldest waiting event has waited',
    read: async () => (await backlog()).oldestAgeMs / 1000,
  });
  metrics.addGauge({
    name: 'events_published',
    help: 'Events this instance published since it started',
    read: () => relay.status().published,
  });
  metrics.addGauge({
    name: 'events_redis_up',
    help: '1 when the last round reached Redis, else 0',
    read: () => (relay.status().redisUp ? 1 : 0),
  });
  return relay;
}
