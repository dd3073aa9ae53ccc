// Every write is checked here, so no invalid document ever reaches a table,
// whichever caller wrote it.
import type { z } from 'zod';
import { InvalidDocumentError, type DocumentIssue } from '../errors.js';
import { keySchema } from '../schemas/common.js';

export function validateDocument<S extends z.ZodType>(schema: S, document: unknown): z.output<S> {
  const parsed = schema.safeParse(document);
  if (!parsed.success) {
    throw new InvalidDocumentError(
      parsed.error.issues.map((issue) => ({ path: issue.path.map(pathSegment), message: issue.message })),
    );
  }
  const nul = findNulCharacter(parsed.data);
  if (nul) throw new InvalidDocumentError([nul]);
  return parsed.data;
}

export function validateKey(field: string, key: unknown): string {
  const parsed = keySchema.safeParse(key);
  if (!parsed.success) {
    throw new InvalidDocumentError(parsed.error.issues.map((issue) => ({ path: [field], message: issue.message })));
  }
  return parsed.data;
}

/** PostgreSQL's JSONB cannot store U+0000, in a value or in a member name. */
export function findNulCharacter(value: unknown, path: (string | number)[] = []): DocumentIssue | undefined {
  const issue = { path, message: 'must not contain the NUL character (\\u0000), which PostgreSQL cannot store' };
  if (typeof value === 'string') return value.includes('\u0000') ? issue : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findNulCharacter(item, [...path, index]);
      if (found) return found;
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) return { ...issue, path: [...path, key] };
      const found = findNulCharacter(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

function pathSegment(segment: PropertyKey): string | number {
  return typeof segment === 'symbol' ? String(segment) : segment;
}
