// The query and response shapes every list route shares.
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, timestampSchema } from '@analytics-engine/storage';
import { z } from 'zod';

export const pageQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .describe(`Page size, 1 to ${MAX_PAGE_SIZE}`),
  cursor: z.string().min(1).max(2048).optional().describe('next_cursor of the previous page'),
  created_after: timestampSchema.optional().describe('Only items created strictly after this instant (ISO-8601)'),
  created_before: timestampSchema.optional().describe('Only items created strictly before this instant (ISO-8601)'),
});

export type PageQuery = z.infer<typeof pageQuerySchema>;

export function pageSchema<Item extends z.ZodType>(item: Item) {
  return z.object({
    items: z.array(item),
    next_cursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last page'),
  });
}

/** The storage list options for a page query. */
export function pageOptions(query: PageQuery) {
  return {
    limit: query.limit,
    cursor: query.cursor,
    createdAfter: query.created_after,
    createdBefore: query.created_before,
  };
}
