// Building blocks shared by the three document schemas.
import { z } from 'zod';

/** A primary key: VARCHAR(255), so 1 to 255 characters. */
export const keySchema = z
  .string()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .refine((value) => !value.includes('\u0000'), 'must not contain the NUL character (\\u0000)');

/** Free-form JSON object, as the guide's `{...}`. */
export const jsonObjectSchema = z.record(z.string(), z.unknown());

/** Free-form JSON array, as the guide's `[...]`. */
export const jsonArraySchema = z.array(z.unknown());

/** An ISO-8601 timestamp with an offset, e.g. 2025-12-21T06:20:48Z. */
export const timestampSchema = z.iso.datetime({ offset: true });

/** An ISO-8601 calendar date, e.g. 2026-01-31. */
export const calendarDateSchema = z.iso.date();
