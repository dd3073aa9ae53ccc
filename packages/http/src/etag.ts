// Optimistic concurrency over HTTP: a strong ETag from the row's version, and
// If-Match on writes (412 when stale), so two editors never silently overwrite
// each other.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';

export function etagFor(version: string): string {
  return `"${version}"`;
}

export function setEtag(reply: FastifyReply, version: string): void {
  void reply.header('etag', etagFor(version));
}

/**
 * The version If-Match asks for: undefined when absent or `*` (any current
 * version will do). A list or a weak tag cannot match a strong ETag: 412.
 */
export function ifMatchVersion(request: FastifyRequest): string | undefined {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*"([0-9a-f]{32})"\s*$/.exec(header);
  if (!match?.[1]) {
    throw new ApiError(
      412,
      'PRECONDITION_FAILED',
      'If-Match must be one strong ETag as returned by this service, or *',
      [{ path: 'headers.if-match', message: 'expected one strong ETag, e.g. "5d41402abc4b2a76b9719d911017c592"' }],
    );
  }
  return match[1];
}
