// Load shedding: above capacity a quick 503 with Retry-After beats a queue that
// grows until every request times out. Two signals: requests in flight (the
// database pool is the usual bottleneck, and waiting for it costs no CPU) and
// event-loop delay (CPU saturation), via @fastify/under-pressure.
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../api-error.js';
import type { ProtectionMetrics } from '../metrics/app-metrics.js';

const RETRY_AFTER_SECONDS = 2;

export interface OverloadLimits {
  readonly maxInFlight: number;
  /** 0 turns the event-loop check off. */
  readonly maxEventLoopDelayMs: number;
}

function overloaded(reason: string): ApiError {
  return new ApiError(503, 'OVERLOADED', `the service is at capacity (${reason}); try again shortly`, undefined, {
    'retry-after': String(RETRY_AFTER_SECONDS),
  });
}

export async function registerOverloadShedding(
  app: FastifyInstance,
  limits: OverloadLimits,
  metrics?: ProtectionMetrics,
): Promise<void> {
  let inFlight = 0;
  metrics?.inFlightFrom(() => inFlight);
  // In the protected scope only: health and docs stay answerable, a loaded service is not a dead one.
  app.addHook('onRequest', (_request, reply, done) => {
    inFlight++;
    reply.raw.once('close', () => {
      inFlight--;
    });
    if (inFlight <= limits.maxInFlight) {
      done();
      return;
    }
    metrics?.shed('in_flight');
    done(overloaded(`${String(limits.maxInFlight)} requests in flight`));
  });
  if (limits.maxEventLoopDelayMs > 0) {
    await app.register(underPressure, {
      maxEventLoopDelay: limits.maxEventLoopDelayMs,
      retryAfter: RETRY_AFTER_SECONDS,
      pressureHandler: (_request, _reply, type) => {
        // eventLoopDelay -> event_loop_delay, the label's form.
        metrics?.shed(type.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`));
        return Promise.reject(overloaded(type));
      },
    });
  }
}
