// JSON bodies nested deeper than any document needs are refused before
// validation: every later walk over the body (validation, NUL checks, hashing,
// serialising) then meets a bounded depth, and a 10,000-deep array is a 400
// naming the reason, never a stack overflow.
import type { FastifyInstance } from 'fastify';
import { ApiError } from './api-error.js';

const MAX_BODY_DEPTH = 64;

/** True when the value nests arrays and objects deeper than `max`; walks with its own stack. */
function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    const depth = next.depth + 1;
    if (depth > max) return true;
    for (const item of Array.isArray(next.value) ? next.value : Object.values(next.value))
      pending.push({ value: item, depth });
  }
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
