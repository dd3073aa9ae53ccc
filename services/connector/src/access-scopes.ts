// Which Connector requests need the admin scope beyond their method's: a body
// that sets or clears a secret, and connection tests (they use stored secrets,
// or send one, to reach out of the service).
import type { FastifyRequest } from 'fastify';

export function connectorScopeRule(request: FastifyRequest): 'admin' | undefined {
  if (request.routeOptions.url?.endsWith('/test')) return 'admin';
  return carriesSecret(request.body) ? 'admin' : undefined;
}

function carriesSecret(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const { connection_string: connectionString, credentials } = body as { connection_string?: unknown; credentials?: unknown };
  if (connectionString !== undefined) return true;
  return typeof credentials === 'object' && credentials !== null && (credentials as { password?: unknown }).password !== undefined;
}
