// Requests the router rejects before any route or hook sees them: a path that
// is not valid percent-encoded UTF-8, or a parameter past maxParamLength.
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
    default:
      return new ApiError(400, 'BAD_REQUEST', 'the request could not be routed');
  }
}

export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const apiError = toFrameworkApiError(error);
  request.log.info({ code: apiError.code, statusCode: apiError.statusCode }, apiError.message);
  void reply.status(apiError.statusCode).header('x-request-id', request.id).send(errorBody(apiError, request.id));
}
