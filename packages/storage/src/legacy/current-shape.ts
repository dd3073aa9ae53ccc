// How a stored row becomes a document of the current shape: as it is when it
// already has it (the check every read makes, see conforms.ts); otherwise the
// table's Python-era members renamed (python-*.ts), then whatever the schema
// still refuses kept under `legacy` (salvage.ts). Adoption stores the result;
// a read of a row a Python service wrote later returns it, and the row's next
// write stores it.
import type { z } from 'zod';
import { isJsonObject, type JsonObject } from '../repositories/json-merge-patch.js';
import { conformityOf } from './conforms.js';
import { salvage } from './salvage.js';

/** A table's Python-era shape renamed to the current members (pure; what it does not know it leaves). */
export type PythonShape = (key: string, data: JsonObject) => JsonObject;

export interface CurrentShape {
  /** The document to store: the current shape, without needs_completion (computed on read). */
  readonly document: JsonObject;
  /** Required members it lacks. */
  readonly needsCompletion: readonly string[];
  /** False when the row had the current shape already: `document` is the row's own data. */
  readonly changed: boolean;
}

export function currentShape(
  schema: z.ZodType,
  fromPython: PythonShape | undefined,
  key: string,
  data: unknown,
): CurrentShape {
  if (isJsonObject(data) && data.needs_completion === undefined && conformityOf(schema)(data)) {
    return { document: data, needsCompletion: [], changed: false };
  }
  // A document that is not even an object (written by hand) is kept whole.
  const renamed = isJsonObject(data) ? (fromPython?.(key, data) ?? data) : { legacy: { document: data } };
  const { document, needsCompletion } = salvage(schema, renamed);
  return { document, needsCompletion, changed: !sameJson(document, data) };
}

/** What a read returns: the current shape, naming the required members it lacks. */
export function readShape(shape: CurrentShape): JsonObject {
  return shape.needsCompletion.length > 0
    ? { ...shape.document, needs_completion: [...shape.needsCompletion] }
    : shape.document;
}

/** Equal as JSON values, whatever the members' order (JSONB keeps its own). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((item, index) => sameJson(item, b[index]));
  if (!isJsonObject(a) || !isJsonObject(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && sameJson(a[key], b[key]))
  );
}
