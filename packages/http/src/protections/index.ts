// Everything that stands between a request and a route, in request order:
// security headers, overload shedding, key identification, rate limits, access
// control, then idempotent replay of creates.
import helmet from 'helmet';
import type { OpenDatabase } from '@analytics-engine/storage';
import type { FastifyInstance } from 'fastify';
import type { ServiceDefinition } from '../build-app.js';
import { registerIdempotency } from '../idempotency.js';
import { registerKeyEnforcement, registerKeyIdentification } from './access-control.js';
import { registerOverloadShedding } from './overload.js';
import { registerRateLimits } from './rate-limits.js';
import { protectionSettingsFromEnv } from './settings.js';

export interface ProtectionContext {
  readonly service: ServiceDefinition;
  readonly database: OpenDatabase;
  readonly env: NodeJS.ProcessEnv;
}

export async function registerProtections(app: FastifyInstance, { service, database, env }: ProtectionContext): Promise<void> {
  const settings = protectionSettingsFromEnv(env);
  // helmet's middleware, built once: @fastify/helmet builds it again on every
  // request (11 to 18 µs of a 200 µs get in the benchmark's CPU profiles).
  const securityHeaders = helmet({
    // Plain HTTP is a supported deployment (behind a proxy or on localhost): do not
    // rewrite Swagger UI's assets to https.
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    // Only meaningful over HTTPS; a proxy that terminates TLS sets its own.
    strictTransportSecurity: false,
  });
  app.addHook('onRequest', (request, reply, done) => {
    // Documents are configuration: no shared cache may keep them.
    if (!request.url.startsWith('/docs')) void reply.header('cache-control', 'no-store');
    securityHeaders(request.raw, reply.raw, (error?: unknown) => {
      done(error instanceof Error ? error : undefined);
    });
  });
  await registerOverloadShedding(app, settings);
  registerKeyIdentification(app, settings.apiKeys);
  await registerRateLimits(app, settings.rateLimitPerMinute);
  registerKeyEnforcement(app, settings.apiKeys, service.scopeRule);
  registerIdempotency(app, database, service.name, settings.idempotencyTtlHours);
  if (settings.apiKeys.length === 0) app.log.debug('access control is off: API_KEYS is empty');
}
