// Builds one service's Fastify app, exactly as production runs it and as tests
// inject into it. Two scopes: the root holds what every answer needs (errors,
// security headers, shutdown, request metrics), health, the API documentation and
// /metrics (in a scope with its own access control: metrics/metrics-route.ts); the protected
// scope holds access control, limits and idempotency, the 404 handler and every
// route of the service. Fastify's encapsulation decides what a hook covers, so
// no list of open URLs exists anywhere.
import { randomUUID } from 'node:crypto';
import type { OpenDatabase } from '@analytics-engine/storage';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { ApiError, errorBody } from './api-error.js';
import { registerAuditRoute } from './changes/audit-route.js';
import { registerChangeLog } from './changes/register-changes.js';
import { registerBodyDepthLimit } from './body-depth.js';
import { loadProcessConfig, type ConfiguredService, type ProcessConfig } from './config.js';
import { toApiError } from './error-mapping.js';
import { answerFrameworkError, MAX_PARAM_LENGTH } from './framework-errors.js';
import { registerHealthRoutes } from './health.js';
import type { AnswerSealer } from './idempotency.js';
import { loggerOptions, RequestLogAtDebug } from './logger.js';
import { createAppMetrics, type ServiceMetrics } from './metrics/app-metrics.js';
import { registerMetricsRoute } from './metrics/metrics-route.js';
import { registerRequestMetrics } from './metrics/request-metrics.js';
import { registerProtections, securityHeaders } from './protections/index.js';
import { registerReplicaReads } from './read-replicas.js';
import { compiledSerializerCompiler } from './serializer.js';
import { validatorCompiler } from './validation.js';

export interface ServiceContext {
  readonly database: OpenDatabase;
  readonly config: ProcessConfig;
  readonly log: FastifyBaseLogger;
  /** This app's metrics (served at /metrics): what a service counts, and gauges it adds. */
  readonly metrics: ServiceMetrics;
}

/** What a service's setup gives the app: its routes, and how its idempotent answers are kept at rest. */
export interface ServiceRoutes {
  /** Registers the routes, inside the protected scope. */
  readonly register: (scope: FastifyInstance) => void | Promise<void>;
  /** Routes anyone may call, beside health and docs (e.g. the public keys that verify what the service signs). */
  readonly registerOpen?: (app: FastifyInstance) => void;
  /** Seals stored first answers, for a service whose answers reveal more than the database may keep in clear. */
  readonly idempotencySealer?: AnswerSealer;
}

export interface ServiceDefinition extends ConfiguredService {
  /** For people: "Connector Service". */
  readonly title: string;
  readonly description: string;
  readonly version: string;
  /** Once per app, before any route: turns the parsed settings into what the routes need; may refuse the boot. */
  readonly setup: (context: ServiceContext) => ServiceRoutes | Promise<ServiceRoutes>;
}

export interface BuildOptions {
  readonly database: OpenDatabase;
  /** The process's configuration; else parsed from `env` (tests) or process.env. */
  readonly config?: ProcessConfig;
  readonly env?: NodeJS.ProcessEnv;
  /** A logger instance to share (several services in one process); else one is made from the configuration. */
  readonly logger?: FastifyBaseLogger;
  /** Request body limit in bytes (Fastify's default: 1 MiB). */
  readonly bodyLimit?: number;
}

export async function buildApp(service: ServiceDefinition, options: BuildOptions): Promise<FastifyInstance> {
  const config = options.config ?? loadProcessConfig(options.env ?? process.env, [service]);
  const app = Fastify({
    ...(options.logger
      ? { loggerInstance: options.logger.child({ service: service.name }) }
      : { logger: { ...loggerOptions(config), base: { service: service.name } } }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Keep-alive clients must not hold shutdown hostage.
    forceCloseConnections: 'idle',
    // Refused below with the common error body and Retry-After instead of Fastify's bare 503.
    return503OnClosing: false,
    // Ids may be 255 characters (VARCHAR(255)) once percent-encoded: let validation answer, not the router's 414.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: answerFrameworkError,
    // Two lines per request at info cost a get a tenth of its CPU: written at debug.
    logController: new RequestLogAtDebug(),
  });
  // JSON only: anything else is a 415, not a string handed to validation.
  app.removeContentTypeParser('text/plain');

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(compiledSerializerCompiler);
  const metrics = createAppMetrics({ service: service.name, database: options.database, log: app.log });
  registerRequestMetrics(app, metrics);
  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error);
    metrics.databaseError(error, apiError);
    if (apiError.statusCode >= 500) {
      request.log.error({ err: error }, `${request.method} ${request.routeOptions.url ?? request.url} failed`);
    } else request.log.info({ code: apiError.code, statusCode: apiError.statusCode }, apiError.message);
    return reply.status(apiError.statusCode).headers(apiError.headers).send(errorBody(apiError, request.id));
  });
  registerEveryAnswer(app);
  registerReplicaReads(app, options.database);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: service.title, description: service.description, version: service.version },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  const relay = registerChangeLog(app, options.database, service.name, config.events, metrics);
  const readyEvents = relay && { relay, service: service.name, backlogLimit: config.events.backlogLimit };
  await registerHealthRoutes(app, options.database, readyEvents);
  await registerMetricsRoute(app, metrics, config.protections);

  const routes = await service.setup({ database: options.database, config, log: app.log, metrics });
  routes.registerOpen?.(app);
  await app.register(async (scope) => {
    await registerProtections(scope, {
      settings: config.protections,
      database: options.database,
      service: service.name,
      metrics,
      ...(routes.idempotencySealer ? { sealer: routes.idempotencySealer } : {}),
    });
    registerBodyDepthLimit(scope);
    // Here, not at the root: an unknown path is refused like any route (401 without a key), not mapped for free.
    scope.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      return reply
        .status(404)
        .send(errorBody(new ApiError(404, 'ROUTE_NOT_FOUND', `no route ${request.method} ${path}`), request.id));
    });
    registerAuditRoute(scope, options.database, service.name);
    await routes.register(scope);
  });
  return app;
}

/**
 * What every answer carries, set in one synchronous hook: the security headers
 * (worked out once) and the request id. During shutdown new requests get the
 * common 503, and answers close their connection.
 */
function registerEveryAnswer(app: FastifyInstance): void {
  const headers = securityHeaders();
  // A keep-alive client whose request was in flight must not keep the server open after it is answered.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (request, reply, done) => {
    void reply.headers(headers).header('x-request-id', request.id);
    if (!closing) {
      done();
      return;
    }
    const message = 'the service is shutting down; nothing was changed: retry (another instance may answer)';
    done(new ApiError(503, 'SHUTTING_DOWN', message, undefined, { 'retry-after': '1' }));
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
}
