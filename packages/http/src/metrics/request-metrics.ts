// Counts and times every answered request at the root, so health, docs, 404s and
// refusals (401, 429, 503) are counted beside the routes; the scrape itself is not
// (its route says requestMetrics: false). Latency is Fastify's own reply.elapsedTime,
// so no hook runs at the start of a request.
import type { FastifyInstance } from 'fastify';
import { UNMATCHED, type AppMetrics } from './app-metrics.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: this route's requests are left out of the request metrics (the scrape of /metrics). */
    requestMetrics?: boolean;
  }
}

export function registerRequestMetrics(app: FastifyInstance, metrics: AppMetrics): void {
  app.addHook('onResponse', (request, reply, done) => {
    const { config, url } = request.routeOptions;
    if (config.requestMetrics !== false) {
      metrics.request(request.method, url ?? UNMATCHED, reply.statusCode, reply.elapsedTime / 1000);
    }
    done();
  });
}
