// Everything that stands between a request and a route: security headers,
// overload shedding, access control, rate limits and idempotent creates.
import type { OpenDatabase } from '@analytics-engine/storage';
import type { FastifyInstance } from 'fastify';
import type { ServiceDefinition } from './build-app.js';

export interface ProtectionContext {
  readonly service: ServiceDefinition;
  readonly database: OpenDatabase;
  readonly env: NodeJS.ProcessEnv;
}

export async function registerProtections(_app: FastifyInstance, _context: ProtectionContext): Promise<void> {
  // Filled in by the hardening work (issue 8).
}
