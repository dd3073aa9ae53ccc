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

/** Bounds on what an error repeats of the request: a hostile body must not become a huge answer or log line. */
const MAX_DETAILS = 20;
const MAX_DETAIL_TEXT = 200;
const MAX_MESSAGE = 1000;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The first MAX_DETAILS problems, each clipped; the message says how many there were in all. */
function boundDetails(details: ErrorDetail[] | undefined): ErrorDetail[] | undefined {
  return details
    ?.slice(0, MAX_DETAILS)
    .map((d) => ({ path: clip(d.path, MAX_DETAIL_TEXT), message: clip(d.message, MAX_DETAIL_TEXT) }));
}

/** A message for a list of problems: the first few, as their (clipped) details say them, and how many more. */
export function summarizeDetails(details: ErrorDetail[]): string {
  const shown = (boundDetails(details.slice(0, 5)) ?? []).map((d) => `${d.path}: ${d.message}`);
  return details.length > shown.length
    ? `${shown.join('; ')}; and ${String(details.length - shown.length)} more`
    : shown.join('; ');
}

/** An error a route throws on purpose: it becomes exactly this response (message and details bounded in size). */
export class ApiError extends Error {
  readonly details: ErrorDetail[] | undefined;

  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    details?: ErrorDetail[],
    readonly headers: Record<string, string> = {},
  ) {
    super(clip(message, MAX_MESSAGE));
    this.name = 'ApiError';
    this.details = boundDetails(details);
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
