// Everything that stands between a request and a route, in request order:
// security headers (on every answer, health and docs included), then, inside the
// protected scope only: overload shedding, key identification, rate limits,
// access control, and idempotent replay of creates.
import { IncomingMessage, type ServerResponse } from 'node:http';
import helmet from 'helmet';
import type { OpenDatabase } from '@analytics-engine/storage';
import type { FastifyInstance } from 'fastify';
import { registerIdempotency, type AnswerSealer } from '../idempotency.js';
import type { ProtectionMetrics } from '../metrics/app-metrics.js';
import { registerKeyEnforcement, registerKeyIdentification } from './access-control.js';
import { registerOverloadShedding } from './overload.js';
import { registerRateLimits } from './rate-limits.js';
import type { ProtectionSettings } from './settings.js';

export interface ProtectionContext {
  readonly settings: ProtectionSettings;
  readonly database: OpenDatabase;
  /** Scopes idempotency keys: the same key sent to two services names two requests. */
  readonly service: string;
  readonly sealer?: AnswerSealer;
  /** Where sheds, rate-limit refusals and the requests in flight are recorded. */
  readonly metrics?: ProtectionMetrics;
}

/**
 * helmet's headers, worked out once: they are the same for every answer, so
 * running its middleware per request (twelve setHeader calls through a chain of
 * callbacks, 4 % of a get's CPU in the benchmark's profiles) buys nothing.
 */
export function securityHeaders(): Readonly<Record<string, string>> {
  const middleware = helmet({
    // Plain HTTP is a supported deployment (behind a proxy or on localhost): do not
    // rewrite Swagger UI's assets to https.
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    // Only meaningful over HTTPS; a proxy that terminates TLS sets its own.
    strictTransportSecurity: false,
  });
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      // Removes what a framework set (x-powered-by): Fastify sets none.
      Reflect.deleteProperty(headers, name.toLowerCase());
    },
  };
  const outcome: { done: boolean; error?: unknown } = { done: false };
  const request = Object.create(IncomingMessage.prototype) as IncomingMessage;
  middleware(request, response as unknown as ServerResponse, (error?: unknown) => {
    outcome.done = true;
    outcome.error = error;
  });
  // helmet's headers depend on nothing of the request; one that did would have to run per request again.
  if (!outcome.done || outcome.error !== undefined) throw new Error('helmet did not set its headers synchronously');
  return Object.freeze(headers);
}

/** Answers of `scope` are configuration or live state: no shared cache may keep them (the docs may be cached). */
export function registerNoStore(scope: FastifyInstance): void {
  scope.addHook('onRequest', (_request, reply, done) => {
    void reply.header('cache-control', 'no-store');
    done();
  });
}

/** Registers the protections on `scope`: they cover its routes and nothing outside it. */
export async function registerProtections(scope: FastifyInstance, context: ProtectionContext): Promise<void> {
  const { settings } = context;
  registerNoStore(scope);
  await registerOverloadShedding(scope, settings, context.metrics);
  registerKeyIdentification(scope, settings.apiKeys);
  await registerRateLimits(scope, settings.rateLimitPerMinute, { metrics: context.metrics });
  registerKeyEnforcement(scope, settings.apiKeys);
  registerIdempotency(scope, {
    database: context.database,
    service: context.service,
    ttlHours: settings.idempotencyTtlHours,
    ...(context.sealer ? { sealer: context.sealer } : {}),
  });
  if (settings.apiKeys.length === 0) scope.log.debug('access control is off: API_KEYS is empty');
}
