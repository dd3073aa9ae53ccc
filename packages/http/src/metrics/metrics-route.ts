// GET /metrics, in Prometheus' text format. Registered at the root beside health,
// not in the protected scope, because a scrape must answer when the service is
// loaded (no overload shedding) and must not spend a client's rate limit. It has
// its own access control: open to loopback callers, the read scope from anywhere
// else when API keys are configured (declared on the route, honoured by
// access-control.ts). Only requests that are neither from loopback nor carry a
// valid key are rate limited, so /metrics is no way around the limit on guessing keys.
import type { FastifyInstance } from 'fastify';
import { fromLoopback, registerKeyEnforcement, registerKeyIdentification } from '../protections/access-control.js';
import { registerNoStore } from '../protections/index.js';
import { registerRateLimits } from '../protections/rate-limits.js';
import type { ProtectionSettings } from '../protections/settings.js';
import type { AppMetrics } from './app-metrics.js';

export async function registerMetricsRoute(
  app: FastifyInstance,
  metrics: AppMetrics,
  settings: ProtectionSettings,
): Promise<void> {
  await app.register(async (scope) => {
    registerNoStore(scope);
    registerKeyIdentification(scope, settings.apiKeys);
    if (settings.apiKeys.length > 0) {
      await registerRateLimits(scope, settings.rateLimitPerMinute, {
        metrics,
        allowList: (request) => request.apiKey !== undefined || fromLoopback(request),
      });
    }
    registerKeyEnforcement(scope, settings.apiKeys);
    scope.get(
      '/metrics',
      {
        config: { scope: 'read', openOnLoopback: true, requestMetrics: false },
        schema: {
          tags: ['health'],
          summary: 'Metrics in Prometheus text format',
          description:
            'Open to loopback callers; from elsewhere it needs an API key with the read scope when API_KEYS is set.',
        },
      },
      async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
    );
  });
}
