// @analytics-engine/http: the Fastify wiring the services share.
export { ApiError, errorBody, notFoundError, type ErrorBody, type ErrorDetail } from './api-error.js';
export {
  buildApp,
  type BuildOptions,
  type ServiceContext,
  type ServiceDefinition,
  type ServiceRoutes,
} from './build-app.js';
export { loadProcessConfig, serviceSettings, type ProcessConfig } from './config.js';
export { registerDocumentResource } from './document-resource/document-resource.js';
export { mergePatchOf } from './document-resource/merge-patch-schema.js';
export { resourceChanges, updatedBody, type ResourceChanges } from './document-resource/resource-changes.js';
export { changedMembers } from './changes/changed-members.js';
export {
  publishedEvent,
  type Change,
  type ChangeEvent,
  type ChangeLog,
  type EventEnvelope,
} from './changes/change-log.js';
export { createEventRelay, type EventRelay } from './changes/event-relay.js';
export type * from './document-resource/resource-definition.js';
export { resourceSchemas } from './document-resource/resource-schemas.js';
export { toApiError } from './error-mapping.js';
export type { GaugeDefinition, ServiceMetrics } from './metrics/app-metrics.js';
export { IDEMPOTENCY_HEADER, type AnswerSealer, type IdempotencyClaim } from './idempotency.js';
export { etagFor, ifMatchVersion, setEtag } from './etag.js';
export { loggerOptions, REDACTED_PATHS } from './logger.js';
export { pageOptions, pageQuerySchema, pageSchema, type PageQuery } from './pagination.js';
export {
  errorResponses,
  errorResponseSchema,
  ifMatchHeadersSchema,
  noContentSchema,
  withoutNul,
  writeErrorResponses,
} from './route-schemas.js';
export { main, runServices, type RunningServices } from './server.js';
export type { ZodTypeProvider } from 'fastify-type-provider-zod';
