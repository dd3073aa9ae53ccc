// The shared route shapes, under the names this service's routes use.
export {
  errorResponses,
  errorResponseSchema,
  ifMatchHeadersSchema,
  noContentSchema as deletedResponseSchema,
  withoutNul,
  writeErrorResponses as writeErrors,
} from '@analytics-engine/http';
