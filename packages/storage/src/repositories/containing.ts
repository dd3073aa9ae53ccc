import type { JsonObject } from './json-merge-patch.js';

/** Python-era spellings of a filter's values, by filter and value: a row a Python service wrote still matches. */
export type FilterAliases = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

/**
 * The containment objects for the filters that are set (undefined when none
 * is): one per combination of each value and its Python-era aliases.
 */
export function containing(filters: Record<string, unknown>, aliases: FilterAliases = {}): JsonObject[] | undefined {
  const set = Object.entries(filters).filter(([, value]) => value !== undefined);
  if (set.length === 0) return undefined;
  let combinations: JsonObject[] = [{}];
  for (const [name, value] of set) {
    const values = [value, ...(typeof value === 'string' ? (aliases[name]?.[value] ?? []) : [])];
    combinations = combinations.flatMap((combination) => values.map((each) => ({ ...combination, [name]: each })));
  }
  return combinations;
}
