// RFC 7386 JSON Merge Patch: objects merge recursively, null removes a member,
// anything else (arrays included) replaces. It gives PATCH its "absent = keep,
// null = clear, value = replace" meaning.

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return patch;
  const base = isJsonObject(target) ? target : {};
  const merged = { ...base };
  for (const [key, value] of Object.entries(patch)) merged[key] = applyMergePatch(base[key], value);
  return Object.fromEntries(Object.entries(merged).filter(([key]) => patch[key] !== null));
}
