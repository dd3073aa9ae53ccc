// The one error body every route of every service answers with:
// { statusCode, error, code, message, details?, requestId }.
import { STATUS_CODES } from 'node:http';

export interface ErrorDetail {
  /** Where the problem is, e.g. "body.credentials.password" or "query.limit". */
  readonly path: string;
  readonly message: string;
}

export interface ErrorBody {
  readonly statusCode: number;
  readonly error: string;
  /** Stable, machine-readable: VALIDATION_FAILED, NOT_FOUND, ... */
  readonly code: string;
  readonly message: string;
  readonly details?: ErrorDetail[];
  readonly requestId: string;
}

/** An error a route throws on purpose: it becomes exactly this response. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** 404 for what a route looked for, e.g. notFoundError(`proposal 'prop-001'`). */
export function notFoundError(subject: string): ApiError {
  return new ApiError(404, 'NOT_FOUND', `${subject} does not exist`);
}

export function errorBody(error: ApiError, requestId: string): ErrorBody {
  return {
    statusCode: error.statusCode,
    error: STATUS_CODES[error.statusCode] ?? 'Error',
    code: error.code,
    message: error.message,
    ...(error.details?.length ? { details: error.details } : {}),
    requestId,
  };
}
