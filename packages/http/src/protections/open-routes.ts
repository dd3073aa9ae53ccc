// Routes anyone may call: liveness, readiness and the API documentation.
import type { FastifyRequest } from 'fastify';

export function isOpenRoute(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  if (route === undefined) return false;
  return route === '/health' || route === '/ready' || route === '/docs' || route.startsWith('/docs/');
}
