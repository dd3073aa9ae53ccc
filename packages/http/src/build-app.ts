// Builds one service's Fastify app, exactly as production runs it and as tests
// inject into it: external plugins, then the shared wiring (validation, errors,
// OpenAPI, health), then the service's routes.
import { randomUUID } from 'node:crypto';
import type { OpenDatabase } from '@analytics-engine/storage';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';
import { ApiError, errorBody } from './api-error.js';
import { registerBodyDepthLimit } from './body-depth.js';
import { toApiError } from './error-mapping.js';
import { answerFrameworkError, MAX_PARAM_LENGTH } from './framework-errors.js';
import { registerHealthRoutes } from './health.js';
import { loggerOptions } from './logger.js';
import { compiledSerializerCompiler } from './serializer.js';
import type { ScopeRule } from './protections/access-control.js';
import { registerProtections } from './protections/index.js';

export interface ServiceContext {
  readonly database: OpenDatabase;
  /** The environment, read once at boot; a service parses its own settings from it with zod. */
  readonly env: NodeJS.ProcessEnv;
  readonly log: FastifyBaseLogger;
}

export interface ServiceDefinition {
  /** Short name for logs: "connector". */
  readonly name: string;
  /** For people: "Connector Service". */
  readonly title: string;
  readonly description: string;
  readonly version: string;
  readonly defaultPort: number;
  /** The variable that moves its port when several services share a process, e.g. CONNECTOR_PORT. */
  readonly portVariable: string;
  /** Raises the scope a request needs beyond its method's (read / write / admin), e.g. admin for secrets. */
  readonly scopeRule?: ScopeRule;
  /** Registers the service's routes; may throw to refuse to boot (bad configuration). */
  readonly register: (app: FastifyInstance, context: ServiceContext) => Promise<void>;
}

export interface BuildOptions {
  readonly database: OpenDatabase;
  readonly env?: NodeJS.ProcessEnv;
  /** A logger instance to share (several services in one process); else one is made from the env. */
  readonly logger?: FastifyBaseLogger;
  /** Request body limit in bytes (Fastify's default: 1 MiB). */
  readonly bodyLimit?: number;
}

export async function buildApp(service: ServiceDefinition, options: BuildOptions): Promise<FastifyInstance> {
  const env = options.env ?? process.env;
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger.child({ service: service.name }) } : { logger: { ...loggerOptions(env), base: { service: service.name } } }),
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
  });
  // JSON only: anything else is a 415, not a string handed to validation.
  app.removeContentTypeParser('text/plain');

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(compiledSerializerCompiler);
  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.statusCode >= 500) request.log.error({ err: error }, `${request.method} ${request.routeOptions.url ?? request.url} failed`);
    else request.log.info({ code: apiError.code, statusCode: apiError.statusCode }, apiError.message);
    return reply.status(apiError.statusCode).headers(apiError.headers).send(errorBody(apiError, request.id));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody(new ApiError(404, 'ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`), request.id)),
  );
  // During shutdown, answers close their connection: a keep-alive client whose
  // request was in flight must not keep the server open after it is answered.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (_request, _reply, done) => {
    if (!closing) {
      done();
      return;
    }
    done(new ApiError(503, 'SHUTTING_DOWN', 'the service is shutting down; nothing was changed: retry (another instance may answer)', undefined, { 'retry-after': '1' }));
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (closing) reply.header('connection', 'close');
  });

  // Before any route, so that every route is behind access control, limits and idempotency.
  await registerProtections(app, { service, database: options.database, env });
  registerBodyDepthLimit(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: service.title, description: service.description, version: service.version },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  registerHealthRoutes(app, options.database);
  await service.register(app, { database: options.database, env, log: app.log });
  return app;
}
