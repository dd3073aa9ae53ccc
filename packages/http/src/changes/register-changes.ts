// Wires the change log into an app: the log routes record through, and, with
// events on, the relay that publishes them (started with the app, woken by each
// answered request that changed something, stopped when the app closes).
import type { OpenDatabase } from '@analytics-engine/storage';
import type { FastifyInstance } from 'fastify';
import { createChangeLog } from './change-log.js';
import { createEventRelay, type EventRelay } from './event-relay.js';
import type { EventsSettings } from './events-settings.js';

export function registerChangeLog(
  app: FastifyInstance,
  database: OpenDatabase,
  service: string,
  settings: EventsSettings,
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
  return relay;
}
