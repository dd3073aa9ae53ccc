// Request validation with the route's zod schemas. The error carries the issues
// as storage names them (path, message, rule), so the one error mapping turns a
// bad request and an invalid document alike into a 400 naming each field, or a
// 422 naming the business rule, without reading Fastify's own error shapes.
import { documentIssues, type DocumentIssue } from '@analytics-engine/storage';
import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';

/** Fastify calls the query "querystring"; paths say "query", as the URL does. */
const PART_NAMES: Record<string, string> = { querystring: 'query', body: 'body', params: 'params', headers: 'headers' };

export class RequestValidationError extends Error {
  readonly statusCode = 400;

  constructor(
    /** Where in the request: body, query, params or headers. */
    readonly part: string,
    readonly issues: readonly DocumentIssue[],
  ) {
    super(`${part} is invalid`);
    this.name = 'RequestValidationError';
  }
}

export const validatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  const part = PART_NAMES[httpPart ?? ''] ?? 'request';
  return (data) => {
    const result = schema.safeParse(data);
    return result.success
      ? { value: result.data }
      : { error: new RequestValidationError(part, documentIssues(result.error.issues)) };
  };
};
