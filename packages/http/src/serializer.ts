// Response serialisation compiled once per route and status: fast-json-stringify
// from the zod response schema's JSON Schema (z.toJSONSchema, output side),
// instead of running zod over every response and then JSON.stringify.
//
// The handlers build responses from stored, already validated documents, so the
// per-response validation zod did is not needed to keep the contract; what must
// stay is the shape: exactly the schema's fields, in the schema's order, unknown
// members dropped (z.object strips them, and so does fast-json-stringify for
// members its schema does not name). That is what keeps a stray member, a
// sealed secret say, out of every response.
//
// A schema that does not convert, or whose compiled output differs from zod's on
// the schema's own examples, keeps zod's serializer: correctness over speed.
import fastJson, { type AnySchema } from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

type Serializer = (data: unknown) => string;
type JsonSchema = Record<string, unknown>;

/** Keywords that do not shape the output; dropped so fast-json-stringify cannot act on them (date coercion, etc.). */
const IGNORED = new Set([
  '$schema',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
  'propertyNames',
  'description',
  'examples',
  'default',
  'title',
  'id',
]);
/**
 * Keywords whose output fast-json-stringify decides differently from zod, or by validating at runtime: such a schema
 * stays with zod.
 */
const UNSUPPORTED = new Set([
  'oneOf',
  'allOf',
  'not',
  'if',
  'then',
  'else',
  'patternProperties',
  '$ref',
  '$defs',
  'definitions',
  'prefixItems',
  'dependentSchemas',
  'unevaluatedProperties',
]);

class Unsupported extends Error {}

const isObject = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `anyOf: [X, {type: null}]` (zod's nullable) as `type: [X's type, 'null']`: no runtime validation to pick a branch.
 */
function nullableAsTypeList(anyOf: unknown[]): JsonSchema | undefined {
  if (anyOf.length !== 2) return undefined;
  const isNull = (schema: unknown) => isObject(schema) && schema.type === 'null' && Object.keys(schema).length === 1;
  const other = anyOf.find((schema) => !isNull(schema));
  if (!isObject(other) || !anyOf.some(isNull) || typeof other.type !== 'string' || 'anyOf' in other) return undefined;
  return { ...other, type: [other.type, 'null'] };
}

/** The JSON type a branch writes, integers as numbers. */
function branchType(branch: unknown): string | undefined {
  if (!isObject(branch)) return undefined;
  if (typeof branch.type === 'string') return branch.type === 'integer' ? 'number' : branch.type;
  if ('const' in branch) return typeof branch.const;
  return undefined;
}

/**
 * A union fast-json-stringify and zod decide alike: each branch a different JSON
 * type (a number or a range object, a count or "indefinite"), so the value's own
 * type picks the branch.
 */
function typeDisjointBranches(anyOf: unknown[]): unknown[] {
  const types = anyOf.map(branchType);
  if (types.some((type) => type === undefined) || new Set(types).size !== types.length) {
    throw new Unsupported('anyOf of overlapping types');
  }
  return anyOf;
}

/**
 * The JSON Schema fast-json-stringify gets. Integers are written as numbers
 * (JSON.stringify's digits, never rounded), members in the schema's order, and
 * only keywords that shape the output are kept; anything else throws Unsupported.
 */
function simplifySchema(schema: unknown): unknown {
  if (typeof schema === 'boolean') return schema;
  if (!isObject(schema)) throw new Unsupported(`not a schema: ${JSON.stringify(schema)}`);
  let source = schema;
  if (Array.isArray(source.anyOf)) {
    const rest = Object.fromEntries(Object.entries(source).filter(([keyword]) => keyword !== 'anyOf'));
    const merged = nullableAsTypeList(source.anyOf);
    if (!merged)
      return { ...(simplifySchema(rest) as JsonSchema), anyOf: typeDisjointBranches(source.anyOf).map(simplifySchema) };
    source = { ...rest, ...merged };
  }
  const result: JsonSchema = {};
  for (const [keyword, value] of Object.entries(source)) {
    if (IGNORED.has(keyword)) continue;
    if (UNSUPPORTED.has(keyword)) throw new Unsupported(keyword);
    switch (keyword) {
      case 'type':
        result.type = Array.isArray(value)
          ? value.map((type: unknown) => (type === 'integer' ? 'number' : type))
          : value === 'integer'
            ? 'number'
            : value;
        break;
      case 'properties':
        if (!isObject(value)) throw new Unsupported('properties');
        result.properties = Object.fromEntries(
          Object.entries(value).map(([name, property]) => [name, simplifySchema(property)]),
        );
        break;
      case 'items':
        if (Array.isArray(value)) throw new Unsupported('tuple items');
        result.items = simplifySchema(value);
        break;
      case 'additionalProperties':
        // false writes what absent writes (only the named members), and a union's branch that
        // said false would refuse a value zod strips and accepts.
        if (value !== false) result.additionalProperties = simplifySchema(value);
        break;
      case 'required':
        // Not passed on: fast-json-stringify writes required members first, zod
        // writes the schema's order. The handlers' return types (the type provider)
        // already require them.
        break;
      case 'enum':
        result[keyword] = value;
        break;
      case 'const':
        // The value is validated before it is stored: its type is all the output needs.
        if (!['string', 'number', 'boolean'].includes(typeof value)) throw new Unsupported('const');
        result.type = typeof value;
        break;
      default:
        throw new Unsupported(keyword);
    }
  }
  return result;
}

function resolveZod(maybeSchema: unknown): z.ZodType | undefined {
  if (maybeSchema instanceof z.ZodType) return maybeSchema;
  if (isObject(maybeSchema) && maybeSchema.properties instanceof z.ZodType) return maybeSchema.properties;
  return undefined;
}

/** The compiled serializer for a zod schema, or undefined when it must stay with zod. */
export function compileSerializer(schema: z.ZodType, reference: Serializer): Serializer | undefined {
  let compiled: Serializer;
  try {
    const jsonSchema = z.toJSONSchema(schema, {
      io: 'output',
      target: 'draft-07',
      unrepresentable: 'throw',
      cycles: 'throw',
      reused: 'inline',
    });
    compiled = fastJson(simplifySchema(jsonSchema) as AnySchema) as Serializer;
  } catch {
    return undefined;
  }
  // The schema's examples must come out exactly as zod writes them.
  const examples = (z.globalRegistry.get(schema)?.examples ?? []) as unknown;
  for (const example of Array.isArray(examples) ? (examples as unknown[]) : []) {
    let expected: string;
    try {
      expected = reference(example);
    } catch {
      continue; // an example zod itself refuses proves nothing either way
    }
    let actual: string | undefined;
    try {
      actual = compiled(example);
    } catch {
      actual = undefined;
    }
    if (actual !== expected) return undefined;
  }
  return compiled;
}

/** Fastify's serializer compiler: compiled where the schema allows it, zod's otherwise. */
export const compiledSerializerCompiler: FastifySerializerCompiler<unknown> = (routeSchema) => {
  const fallback: Serializer = (zodSerializerCompiler as FastifySerializerCompiler<unknown>)(routeSchema);
  const schema = resolveZod(routeSchema.schema);
  return (schema && compileSerializer(schema, fallback)) ?? fallback;
};
