// Requests the router rejects before any route or hook sees them: a path that
// is not valid percent-encoded UTF-8, a parameter past maxParamLength (or an
// async route constraint that failed, which no route uses today).
// Fastify answers these with its own body unless given frameworkErrors; here
// they get the error body every other answer has, with a requestId, and
// without echoing the (possibly huge, possibly hostile) path back.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, errorBody } from './api-error.js';

export const MAX_PARAM_LENGTH = 2048;

function toFrameworkApiError(error: FastifyError): ApiError {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return new ApiError(400, 'BAD_URL', 'the request path is not valid percent-encoded UTF-8');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new ApiError(414, 'PATH_TOO_LONG', `a path segment is longer than ${String(MAX_PARAM_LENGTH)} characters`);
    case 'FST_ERR_ASYNC_CONSTRAINT':
      // A route constraint failed on the server's side (none is used today): not the client's doing.
      return new ApiError(
        500,
        'INTERNAL_ERROR',
        'internal error; the service log has the details under this requestId',
      );
    default:
      return new ApiError(400, 'BAD_REQUEST', 'the request could not be routed');
  }
}

export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const apiError = toFrameworkApiError(error);
  if (apiError.statusCode >= 500) request.log.error({ err: error }, `${request.method} could not be routed`);
  else request.log.info({ code: apiError.code, statusCode: apiError.statusCode }, apiError.message);
  void reply.status(apiError.statusCode).header('x-request-id', request.id).send(errorBody(apiError, request.id));
}
