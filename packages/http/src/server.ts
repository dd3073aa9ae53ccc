// The process around the apps: read configuration once, open the database, run
// the migrations, listen, say where, and shut down cleanly on SIGTERM/SIGINT.
import { ConfigError, migrateOnBoot, MigrationError, openDatabase, StorageError } from '@analytics-engine/storage';
import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp, type ServiceDefinition } from './build-app.js';
import { loadProcessConfig } from './config.js';
import { loggerOptions } from './logger.js';
import { assertSafeBinding } from './protections/settings.js';

export interface RunningServices {
  readonly apps: FastifyInstance[];
  /** How long a shutdown may take before the process exits regardless. */
  readonly graceMs: number;
  /** Where each listens, e.g. http://localhost:8023. */
  readonly urls: string[];
  close(): Promise<void>;
}

/**
 * Runs one or more services in this process over one database. PORT moves a lone
 * service; with several, each one's own variable (CONNECTOR_PORT, ...) does.
 */
export async function runServices(
  services: ServiceDefinition[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningServices> {
  const config = loadProcessConfig(env, services);
  assertSafeBinding(config.host, config.protections);
  const logger = pino(loggerOptions(config));
  const database = await openDatabase(config.database, {
    onConnectionError: (error) => {
      logger.warn({ err: error }, 'a database connection failed; the pool replaces it');
    },
  });
  const apps: FastifyInstance[] = [];
  const close = async () => {
    await Promise.allSettled(apps.map((app) => app.close()));
    await database.close();
  };
  try {
    logger.info(`database: ${database.mode === 'embedded' ? `embedded in ${database.location}` : database.location}`);
    await migrateOnBoot(database, config.database, (line) => {
      logger.info(line);
    });
    const urls: string[] = [];
    for (const service of services) {
      const app = await buildApp(service, { database, config, logger });
      apps.push(app);
      await app.listen({ host: config.host, port: config.ports.get(service.name) ?? service.defaultPort });
      const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${listeningPort(app)}`;
      urls.push(url);
      logger.info(`${service.title} ready at ${url} (Swagger UI: ${url}/docs)`);
    }
    return { apps, urls, close, graceMs: config.graceMs };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Entry point for a start script: runs, and turns a failed boot into one line and exit code 1. */
export async function main(services: ServiceDefinition[]): Promise<void> {
  let running: RunningServices;
  try {
    running = await runServices(services);
  } catch (error) {
    process.stderr.write(`${services.map((s) => s.name).join('+')}: cannot start: ${bootFailure(error)}\n`);
    process.exit(1);
  }
  // A second signal, or a shutdown that outlives the grace period, exits at once.
  closeWithGrace({ delay: running.graceMs }, async ({ signal, err }) => {
    if (err) process.stderr.write(`shutting down after an unexpected error: ${err.message}\n`);
    else process.stderr.write(`${signal ?? 'signal'} received: finishing in-flight requests, then closing\n`);
    await running.close();
  });
}

function listeningPort(app: FastifyInstance): number {
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

function bootFailure(error: unknown): string {
  if (error instanceof ConfigError || error instanceof MigrationError || error instanceof StorageError)
    return error.message;
  const e = error as { code?: string; message?: string };
  if (e.code === 'EADDRINUSE')
    return `${e.message ?? 'address in use'}: another process has that port (set the port variable)`;
  return e.message ?? String(error);
}
