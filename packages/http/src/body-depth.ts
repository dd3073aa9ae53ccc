// JSON bodies nested deeper than any document needs are refused before
// validation: every later walk over the body (validation, NUL checks, hashing,
// serialising) then meets a bounded depth, and a 10,000-deep array is a 400
// naming the reason, never a stack overflow.
import type { FastifyInstance } from 'fastify';
import { ApiError } from './api-error.js';

const MAX_BODY_DEPTH = 64;

/**
 * True when the value nests arrays and objects deeper than `max`. Recursion is
 * safe: it stops `max` levels down, however deep the body goes.
 */
function nestsDeeperThan(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (max === 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (nestsDeeperThan(item, max - 1)) return true;
    return false;
  }
  for (const member in value) if (nestsDeeperThan((value as Record<string, unknown>)[member], max - 1)) return true;
  return false;
}

export function registerBodyDepthLimit(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    if (!nestsDeeperThan(request.body, MAX_BODY_DEPTH)) {
      done();
      return;
    }
    const message = `must not nest arrays and objects deeper than ${String(MAX_BODY_DEPTH)} levels`;
    done(new ApiError(400, 'VALIDATION_FAILED', `body: ${message}`, [{ path: 'body', message }]));
  });
}
