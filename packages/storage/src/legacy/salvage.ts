// The last step of reading a row that is not in the current shape: whatever the
// document schema refuses (a member it does not name, at any depth; a value of
// the wrong type) moves into the document's open `legacy` member under the path
// it had, so the document validates and nothing is lost; a required member that
// is missing (or had to move) is named in needs_completion.
import { z } from 'zod';
import { isJsonObject, type JsonObject } from '../repositories/json-merge-patch.js';

export interface Salvaged {
  /** Valid but for the members named in needsCompletion; `legacy` holds what moved. */
  readonly document: JsonObject;
  /** Required top-level members the document lacks, in the schema's order. */
  readonly needsCompletion: readonly string[];
}

/** Each round moves at least one member, and documents are a few levels deep. */
const MAX_ROUNDS = 32;

type Path = (string | number)[];

export function salvage(schema: z.ZodType, input: JsonObject): Salvaged {
  const document = structuredClone(input);
  delete document.needs_completion;
  let legacy: JsonObject = {};
  const hadLegacy = isJsonObject(document.legacy);
  if (isJsonObject(document.legacy)) {
    legacy = document.legacy;
    delete document.legacy;
  }
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const issues = documentIssues(schema, document);
    let moved = false;
    for (const issue of issues) {
      const paths: Path[] =
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((name) => [...toPath(issue.path), name])
          : [toPath(issue.path)];
      for (const path of paths) {
        const target = movable(document, path);
        if (target !== undefined && moveInto(legacy, document, target)) moved = true;
      }
    }
    if (!moved) break;
  }
  fillDefaults(schema, document);
  // What is still refused now can only be a required top-level member that is missing.
  const order = memberOrder(schema);
  const missing = new Set(
    documentIssues(schema, document).flatMap((issue) => (typeof issue.path[0] === 'string' ? [issue.path[0]] : [])),
  );
  const needsCompletion = [...missing].sort((a, b) => order(a) - order(b));
  return {
    document: hadLegacy || Object.keys(legacy).length > 0 ? { ...document, legacy } : document,
    needsCompletion,
  };
}

/** The schema's issues with the document, business rules left out: a row keeps its values, a write must fix them. */
function documentIssues(schema: z.ZodType, document: JsonObject): z.core.$ZodIssue[] {
  const parsed = schema.safeParse(document);
  return parsed.success ? [] : parsed.error.issues.filter((issue) => !isRuleIssue(issue));
}

function isRuleIssue(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'custom' && typeof (issue.params as { rule?: unknown } | undefined)?.rule === 'string';
}

function toPath(path: readonly PropertyKey[]): Path {
  return path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment));
}

/**
 * What to move for an issue at `path`: the member itself, or (inside an array)
 * the whole array, so no array is left with a hole; for a missing member its
 * parent object, unless the parent is the document (undefined: a required
 * top-level member is missing, and nothing can move).
 */
function movable(document: JsonObject, path: Path): Path | undefined {
  const firstIndex = path.findIndex((segment) => typeof segment === 'number');
  const target = firstIndex < 0 ? path : path.slice(0, firstIndex);
  if (target.length === 0) return undefined;
  if (valueAt(document, target) !== undefined) return target;
  return target.length > 1 ? movable(document, target.slice(0, -1)) : undefined;
}

function valueAt(root: unknown, path: Path): unknown {
  let at = root;
  for (const segment of path) {
    if (!isJsonObject(at)) return undefined;
    at = at[segment];
  }
  return at;
}

/** Moves the member at `path` from the document into `legacy` at the same path; false when there was none. */
function moveInto(legacy: JsonObject, document: JsonObject, path: Path): boolean {
  const parent = valueAt(document, path.slice(0, -1));
  const name = String(path.at(-1));
  if (!isJsonObject(parent) || !(name in parent)) return false;
  const value = parent[name];
  Reflect.deleteProperty(parent, name);
  let into = legacy;
  for (const segment of path.slice(0, -1).map(String)) {
    // A non-object already kept there: what moves now goes beside it, under a free name.
    const slot = into[segment] === undefined || isJsonObject(into[segment]) ? segment : nextFree(into, segment);
    into[slot] ??= {};
    into = into[slot] as JsonObject;
  }
  into[name in into ? nextFree(into, name) : name] = value;
  return true;
}

function nextFree(object: JsonObject, name: string): string {
  for (let n = 2; ; n++) if (!(`${name}~${String(n)}` in object)) return `${name}~${String(n)}`;
}

/** A member with a default that moved (or was never there) gets it, as a write would: status draft, say. */
function fillDefaults(schema: z.ZodType, document: JsonObject): void {
  if (!(schema instanceof z.ZodObject)) return;
  for (const [name, member] of Object.entries(schema.shape)) {
    if (document[name] === undefined && member instanceof z.ZodDefault) document[name] = member.def.defaultValue;
  }
}

function memberOrder(schema: z.ZodType): (name: string) => number {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  const names = shape ? Object.keys(shape) : [];
  return (name) => {
    const index = names.indexOf(name);
    return index < 0 ? names.length : index;
  };
}
