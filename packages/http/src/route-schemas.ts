// OpenAPI shapes every route shares: the one error body (as the error handler
// sends it), the error responses routes document, the If-Match header, and
// 204's empty body.
import { z } from 'zod';

export const errorResponseSchema = z
  .object({
    statusCode: z.number().int(),
    error: z.string(),
    code: z.string().describe('Stable and machine-readable, e.g. VALIDATION_FAILED or NOT_FOUND'),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    requestId: z.string(),
  })
  .describe('The one error body of the service');

export const errorResponses = {
  400: errorResponseSchema.describe('The request is invalid: details name each field and the reason'),
  404: errorResponseSchema.describe('Nothing has this id'),
  409: errorResponseSchema.describe('The request conflicts with the stored state'),
  412: errorResponseSchema.describe('The item changed since the ETag given in If-Match'),
  413: errorResponseSchema.describe('The body is larger than the service accepts'),
  415: errorResponseSchema.describe('The body is not application/json'),
  422: errorResponseSchema.describe('The request breaks a business rule: code names it, details name the field'),
  503: errorResponseSchema.describe('The database is unavailable: try again after Retry-After seconds'),
};

/** What any route with a JSON body may answer besides its own outcomes. */
export const writeErrorResponses = {
  400: errorResponses[400],
  413: errorResponses[413],
  415: errorResponses[415],
  503: errorResponses[503],
};

export const ifMatchHeadersSchema = z.looseObject({
  'if-match': z
    .string()
    .optional()
    .describe(
      'The ETag of the version you read: the write fails with 412 if the item changed since. * or absent: any version',
    ),
});

export const noContentSchema = z.null().describe('Done; no body');

/** A string compared inside JSONB: PostgreSQL's JSONB cannot hold U+0000, so it is a 400, not a 500. */
export function withoutNul(schema: z.ZodString) {
  return schema.refine((value) => !value.includes('\u0000'), 'must not contain the NUL character (\\u0000)');
}
