// The peer a user would pick instead of our services (issue 18): Platformatic's
// generated REST API over connector_profiles and service_proposals, as
// Platformatic DB builds it: @platformatic/sql-mapper (entities read from the
// schema, its pool) and @platformatic/sql-openapi (its routes, JSON schema
// validation and serialization, OpenAPI) registered on a minimal Fastify app.
// Its packages live in bench/peer, a separate npm project that bench/peer.ts
// installs, so they are loaded from there and typed here as far as this uses
// them. Started as a child process by bench/peer.ts:
//   BENCH_DATABASE_URL, BENCH_POOL_MAX, PORT.
// Routes: GET/POST /connectorProfiles, GET/PUT/DELETE /connectorProfiles/:id,
// the same for /serviceProposals (key proposalId); fields are camelCased
// (profileData, proposalData, createdAt, updatedAt).
import { createRequire } from 'node:module';

interface PeerApp {
  register(plugin: unknown, options: Record<string, unknown>): PromiseLike<unknown>;
  listen(options: { port: number; host: string }): Promise<string>;
  close(): Promise<void>;
}
type Fastify = (options: { logger: { level: string } }) => PeerApp;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`peer-server: ${name} is not set`);
  return value;
}

const fromPeer = createRequire(new URL('./peer/package.json', import.meta.url));
const fastify = fromPeer('fastify') as Fastify;
const sqlMapper: unknown = fromPeer('@platformatic/sql-mapper');
const sqlOpenApi: unknown = fromPeer('@platformatic/sql-openapi');

/** The two tables the benchmark compares; the schema's others are left out. */
const TABLES = ['connector_profiles', 'service_proposals'] as const;

// Warn, as the services run in the benchmark (LOG_LEVEL=warn): Fastify's
// per-request logger is paid alike, and errors still show in the output.
const app = fastify({ logger: { level: 'warn' } });
await app.register(sqlMapper, {
  connectionString: required('BENCH_DATABASE_URL'),
  poolSize: Number(required('BENCH_POOL_MAX')),
  include: Object.fromEntries(TABLES.map((table) => [table, true])),
});
await app.register(sqlOpenApi, {});

const port = Number(required('PORT'));
const address = await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`peer ready at ${address}\n`);

const stop = () => {
  app.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`peer-server: close failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
