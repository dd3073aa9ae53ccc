// What every kind of failure becomes over HTTP. Anything a client sent maps to a
// 4xx naming the field; database outages to 503 with Retry-After; the rest to a
// generic 500 whose details stay in the log.
import {
  AlreadyExistsError,
  databaseUnavailability,
  InvalidCursorError,
  InvalidDocumentError,
  NotFoundError,
  VersionMismatchError,
} from '@analytics-engine/storage';
import type { DocumentIssue } from '@analytics-engine/storage';
import { ApiError, notFoundError, summarizeDetails, type ErrorDetail } from './api-error.js';
import { RequestValidationError } from './validation.js';

const RETRY_AFTER_SECONDS = '5';

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof RequestValidationError) return issuesError(error.part, error.issues);
  if (error instanceof InvalidDocumentError) return issuesError('body', error.issues);
  if (error instanceof InvalidCursorError)
    return new ApiError(400, 'INVALID_CURSOR', error.message, [{ path: 'query.cursor', message: error.message }]);
  if (error instanceof NotFoundError) return notFoundError(`'${error.key}'`);
  if (error instanceof AlreadyExistsError) return new ApiError(409, 'ALREADY_EXISTS', `'${error.key}' already exists`);
  if (error instanceof VersionMismatchError) {
    return new ApiError(
      412,
      'PRECONDITION_FAILED',
      `'${error.key}' has changed since the ETag given in If-Match: read it again`,
    );
  }
  const outage = databaseOutage(error);
  if (outage) return outage;
  const fastifyError = error as { statusCode?: number; code?: string; message?: string };
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return new ApiError(
      status,
      clientErrorCode(fastifyError.code, status),
      clientErrorMessage(fastifyError.code, fastifyError.message),
    );
  }
  return new ApiError(500, 'INTERNAL_ERROR', 'internal error; the service log has the details under this requestId');
}

/**
 * A document's problems: when every one is a business rule, 422 with the (first)
 * rule's code, as the content is well-formed but unacceptable; otherwise 400
 * VALIDATION_FAILED naming every field, rules included.
 */
function issuesError(part: string, issues: readonly DocumentIssue[]): ApiError {
  const details = issues.map((i): ErrorDetail => ({ path: [part, ...i.path].join('.'), message: i.message }));
  const [first] = issues;
  if (first?.rule !== undefined && issues.every((issue) => issue.rule !== undefined)) {
    return new ApiError(422, first.rule, issues.map((issue) => issue.message).join('; '), details);
  }
  return new ApiError(400, 'VALIDATION_FAILED', summarizeDetails(details), details);
}

/**
 * Outages answer 503/504 with Retry-After, and the code says what a client may
 * assume about a change it asked for (every route writes in one transaction):
 * DATABASE_UNAVAILABLE and QUERY_TIMEOUT: nothing changed, retry as is;
 * DATABASE_CONNECTION_LOST and DATABASE_NOT_ANSWERING: it may have been made,
 * so read it back before retrying.
 */
function databaseOutage(error: unknown): ApiError | undefined {
  const retry = { 'retry-after': RETRY_AFTER_SECONDS };
  switch (databaseUnavailability(error)) {
    case 'unreachable':
      return new ApiError(
        503,
        'DATABASE_UNAVAILABLE',
        'the database cannot be reached; nothing was changed: try again shortly',
        undefined,
        retry,
      );
    case 'connection-lost': {
      const message =
        'the connection to the database was lost during the request: a change may or may not have been made, ' +
        'so read it back before retrying';
      return new ApiError(503, 'DATABASE_CONNECTION_LOST', message, undefined, retry);
    }
    case 'no-answer': {
      const message =
        'the database did not answer in time: a change may or may not have been made, so read it back before retrying';
      return new ApiError(504, 'DATABASE_NOT_ANSWERING', message, undefined, retry);
    }
    case undefined:
      break;
  }
  // statement_timeout (and lock waits past it): the server cancelled the statement and rolled back.
  if ((error as { code?: unknown } | null)?.code === '57014') {
    return new ApiError(
      504,
      'QUERY_TIMEOUT',
      'the database did not finish in time; nothing was changed: try again shortly',
      undefined,
      retry,
    );
  }
  return undefined;
}

/** Fastify's own client errors, renamed to stable codes. */
function clientErrorCode(code: string | undefined, status: number): string {
  switch (code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'BODY_TOO_LARGE';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'MALFORMED_JSON';
    default:
      return status === 400 && !code ? 'MALFORMED_JSON' : (code ?? 'BAD_REQUEST');
  }
}

function clientErrorMessage(code: string | undefined, message: string | undefined): string {
  switch (code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'send the body as application/json';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'the request body is larger than the service accepts';
    default:
      return message ?? 'bad request';
  }
}
