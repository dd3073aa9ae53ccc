// The names of the top-level members a write changed: added, removed or given
// another value. Both documents come from the database (JSONB orders members
// the same way each time), so their JSON texts compare as values.

export function changedMembers(before: unknown, after: unknown): string[] {
  const a = (before ?? {}) as Record<string, unknown>;
  const b = (after ?? {}) as Record<string, unknown>;
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].filter((name) => JSON.stringify(a[name]) !== JSON.stringify(b[name])).sort();
}
