// Requests per minute per API key, or per client address for requests without a
// valid key (so guessing keys is limited too). Runs after key identification.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../api-error.js';
import type { ProtectionMetrics } from '../metrics/app-metrics.js';

export interface RateLimitOptions {
  readonly metrics?: ProtectionMetrics;
  /** Requests neither counted nor limited. */
  readonly allowList?: (request: FastifyRequest) => boolean;
}

export async function registerRateLimits(
  app: FastifyInstance,
  perMinute: number,
  options: RateLimitOptions = {},
): Promise<void> {
  if (perMinute === 0) return;
  const { metrics, allowList } = options;
  await app.register(rateLimit, {
    max: perMinute,
    ...(allowList ? { allowList } : {}),
    timeWindow: 60_000,
    keyGenerator: (request) => (request.apiKey ? `key:${request.apiKey.fingerprint}` : `address:${request.ip}`),
    onExceeded: (request, key) => {
      metrics?.rateLimited(key.startsWith('key:') ? 'key' : 'address');
      request.log.warn(
        { event: 'rate_limited', who: key.startsWith('key:') ? key : 'address', ip: request.ip },
        'rate limit reached',
      );
    },
    errorResponseBuilder: (_request, context) =>
      new ApiError(
        429,
        'RATE_LIMITED',
        `more than ${String(context.max)} requests in ${context.after}; ` +
          `try again in ${String(Math.ceil(context.ttl / 1000))} s`,
        undefined,
        {
          'retry-after': String(Math.ceil(context.ttl / 1000)),
        },
      ),
  });
}
