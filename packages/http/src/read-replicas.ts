// Reads from replicas (DATABASE_READ_URL), read-your-writes included. Every
// successful write's answer carries a Consistency-Token header: the primary's
// WAL position once the write committed. A read route (config.scope 'read',
// GET or HEAD) runs in a read context: its plain reads go to a replica that is
// healthy and near enough, and, when the request sends a token back, only to
// one that replayed it; otherwise to the primary (storage/src/replicas).
// Without replicas none of this is registered.
import type { OpenDatabase } from '@analytics-engine/storage';
import type { FastifyInstance } from 'fastify';

export const CONSISTENCY_TOKEN_HEADER = 'consistency-token';

const READ_METHODS = new Set(['GET', 'HEAD']);
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function registerReplicaReads(app: FastifyInstance, database: OpenDatabase): void {
  const replicas = database.replicas;
  if (!replicas) return;
  app.addHook('onRequest', (request, _reply, done) => {
    if (!READ_METHODS.has(request.method) || request.routeOptions.config.scope !== 'read') {
      done();
      return;
    }
    const token = request.headers[CONSISTENCY_TOKEN_HEADER];
    // Everything after this hook (the other hooks, the handler) runs in the read context.
    replicas.readAfter(typeof token === 'string' ? token : undefined, () => {
      done();
    });
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (!WRITE_METHODS.has(request.method) || reply.statusCode < 200 || reply.statusCode >= 300) return payload;
    try {
      reply.header(CONSISTENCY_TOKEN_HEADER, await replicas.consistencyToken());
    } catch (error) {
      // The write is done; without a token the client's next read may be a replica's, within the allowed lag.
      request.log.warn({ err: error }, 'no consistency token for this answer: the primary did not say its position');
    }
    return payload;
  });
}
