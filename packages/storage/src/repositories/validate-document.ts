// Every write is checked here, so no invalid document ever reaches a table,
// whichever caller wrote it.
import type { z } from 'zod';
import { InvalidDocumentError, type DocumentIssue } from '../errors.js';
import { hasLoneSurrogate, keySchema, LONE_SURROGATE_MESSAGE } from '../schemas/common.js';

export function validateDocument<S extends z.ZodType>(schema: S, document: unknown): z.output<S> {
  const parsed = schema.safeParse(document);
  if (!parsed.success) throw new InvalidDocumentError(documentIssues(parsed.error.issues));
  const unstorable = findUnstorableText(parsed.data);
  if (unstorable) throw new InvalidDocumentError([unstorable]);
  return parsed.data;
}

export function validateKey(field: string, key: unknown): string {
  const parsed = keySchema.safeParse(key);
  if (!parsed.success) {
    throw new InvalidDocumentError(parsed.error.issues.map((issue) => ({ path: [field], message: issue.message })));
  }
  return parsed.data;
}

/** Why PostgreSQL cannot store this text in JSONB, or undefined when it can. */
function unstorableReason(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain the NUL character (\\u0000), which PostgreSQL cannot store';
  if (hasLoneSurrogate(text)) return LONE_SURROGATE_MESSAGE;
  return undefined;
}

/** A place in the walked value: its key in its parent, and the parent (paths are built only for a hit). */
interface Place {
  readonly value: unknown;
  readonly key: string | number | undefined;
  readonly parent: Place | undefined;
}

function pathOf(place: Place, last?: string): (string | number)[] {
  const path: (string | number)[] = last === undefined ? [] : [last];
  for (let at: Place | undefined = place; at?.key !== undefined; at = at.parent) path.push(at.key);
  return path.reverse();
}

/**
 * The first string (value or member name) PostgreSQL's JSONB cannot store: one
 * with U+0000 or a lone surrogate. Walks with its own stack, so no nesting
 * depth can overflow the call stack, and in time linear in the value's size.
 */
export function findUnstorableText(value: unknown): DocumentIssue | undefined {
  const pending: Place[] = [{ value, key: undefined, parent: undefined }];
  for (let place = pending.pop(); place; place = pending.pop()) {
    const current = place.value;
    if (typeof current === 'string') {
      const reason = unstorableReason(current);
      if (reason) return { path: pathOf(place), message: reason };
    } else if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--)
        pending.push({ value: current[index], key: index, parent: place });
    } else if (typeof current === 'object' && current !== null) {
      const entries = Object.entries(current);
      for (const [key] of entries) {
        const reason = unstorableReason(key);
        if (reason) return { path: pathOf(place, key), message: reason };
      }
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, item] = entries[index] ?? [];
        if (key !== undefined) pending.push({ value: item, key, parent: place });
      }
    }
  }
  return undefined;
}

function pathSegment(segment: PropertyKey): string | number {
  return typeof segment === 'symbol' ? String(segment) : segment;
}

/**
 * A business rule as a zod issue: a refinement of a document schema reports it
 * with its code, and whoever maps the issues (the HTTP layer: 422 with the code)
 * tells it from a malformed field.
 */
export function addRuleIssue(context: z.RefinementCtx, rule: string, path: (string | number)[], message: string): void {
  context.addIssue({ code: 'custom', path, message, params: { rule } });
}

/** zod's issues as storage names them: path, message, and the rule a refinement reported. */
export function documentIssues(issues: readonly z.core.$ZodIssue[]): DocumentIssue[] {
  return issues.map((issue) => {
    const rule = issue.code === 'custom' ? (issue.params as { rule?: unknown } | undefined)?.rule : undefined;
    const path = issue.path.map(pathSegment);
    return typeof rule === 'string' ? { path, message: issue.message, rule } : { path, message: issue.message };
  });
}
