import type { JsonObject } from './json-merge-patch.js';

/** The containment object for the filters that are set, or undefined when none is. */
export function containing(filters: Record<string, unknown>): JsonObject | undefined {
  const set = Object.entries(filters).filter(([, value]) => value !== undefined);
  return set.length > 0 ? Object.fromEntries(set) : undefined;
}
