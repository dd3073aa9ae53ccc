// Who made a change, as events and the audit trail name them: the API key's
// name, else a short fingerprint of it (never its token), or anonymous where
// access control is off.
import type { FastifyRequest } from 'fastify';

export function actorOf(request: FastifyRequest): string {
  const key = request.apiKey;
  if (!key) return 'anonymous';
  return key.name ?? `key:${key.fingerprint}`;
}
