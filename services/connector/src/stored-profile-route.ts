// What the routes that reach a stored profile's source (test, discover, preview)
// declare alike: the admin scope, their tag, the profile id, an optional body, and
// the answers every one of them can give besides its own.
import { errorResponses, writeErrorResponses } from '@analytics-engine/http';
import type { z } from 'zod';
import { profileParamsSchema } from './profile-schemas.js';

/** The OpenAPI tag of every route that reaches a source. */
export const connectionTestTags = ['connection tests'];

export function storedProfileRoute<Body extends z.ZodType, Responses extends Record<number, z.ZodType>>(
  summary: string,
  description: string,
  body: Body,
  responses: Responses,
) {
  return {
    // It uses the stored secrets to reach out of the service.
    config: { scope: 'admin' as const },
    schema: {
      tags: connectionTestTags,
      summary,
      description,
      params: profileParamsSchema,
      body: body.nullish(),
      response: { ...writeErrorResponses, 404: errorResponses[404], ...responses },
    },
  };
}
