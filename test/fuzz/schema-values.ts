// Values a JSON schema accepts (or nearly: patterns other than the date formats
// are not followed), as fast-check arbitraries. These are the starting point the
// hostile mutations of hostile-values.ts then break in one place, so most
// requests get past the first validation error and reach deeper code.
import fc from 'fast-check';
import { binaryText, DATE_EDGES, TIMESTAMP_EDGES } from './hostile-values.js';
import type { JsonSchema } from './openapi-operations.js';

/** JSON as a request body carries it; undefined only for absent members. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const MAX_DEPTH = 4;

// Built once: a string arbitrary over all of Unicode maps every code point when it is made.
const unicodeText = fc.string({ unit: 'grapheme', maxLength: 12 });
const shortTexts = new Map<string, fc.Arbitrary<string>>();

/**
 * Cut or padded (with "a") to fit the schema's length bounds, in UTF-16 code units as JSON Schema and zod count them.
 */
function fit(text: string, minLength: number, maxLength: number): string {
  const cut = text.length > maxLength ? text.slice(0, maxLength) : text;
  return cut.length < minLength ? cut + 'a'.repeat(minLength - cut.length) : cut;
}

/** Short strings, mostly plain, sometimes any Unicode (surrogate halves included). */
function shortText(minLength: number, maxLength: number): fc.Arbitrary<string> {
  const key = `${minLength}:${maxLength}`;
  const cached = shortTexts.get(key);
  if (cached) return cached;
  const built = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.string({
        unit: 'grapheme-ascii',
        minLength,
        maxLength: Math.max(minLength, Math.min(maxLength, 24)),
      }),
    },
    { weight: 2, arbitrary: unicodeText.map((text) => fit(text, minLength, maxLength)) },
    { weight: 1, arbitrary: binaryText.map((text) => fit(text, minLength, Math.min(maxLength, 12))) },
  );
  shortTexts.set(key, built);
  return built;
}

const instant = fc.date({
  min: new Date('1970-01-01T00:00:00Z'),
  max: new Date('2100-01-01T00:00:00Z'),
  noInvalidDate: true,
});

// Mostly ordinary instants and dates; now and then one at the edge of what
// the schema's pattern lets through or PostgreSQL can hold.
const dateTime: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: instant.map((date) => date.toISOString()) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(instant, fc.constantFrom('+00:00', '-05:30', '+14:00', '+15:59', '-23:59'))
      .map(([date, offset]) => date.toISOString().replace('Z', offset)),
  },
  { weight: 1, arbitrary: fc.constantFrom(...TIMESTAMP_EDGES) },
);

const calendarDate: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: instant.map((date) => date.toISOString().slice(0, 10)) },
  { weight: 1, arbitrary: fc.constantFrom(...DATE_EDGES) },
);

const freeJson: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;

export function valueFor(schema: JsonSchema, depth = 0): fc.Arbitrary<Json> {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((alternative) => valueFor(alternative, depth)));
  if (schema.const !== undefined) return fc.constant(schema.const as Json);
  if (schema.enum?.length) return fc.constantFrom(...(schema.enum as Json[]));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: Math.ceil(schema.minimum ?? -1e6), max: Math.floor(schema.maximum ?? 1e6) });
    case 'number':
      return fc.double({
        min: schema.minimum ?? -1e9,
        max: schema.maximum ?? 1e9,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'string':
      return stringFor(schema);
    case 'array':
      if (depth >= MAX_DEPTH) return fc.constant([]);
      return fc.array(schema.items ? valueFor(schema.items, depth + 1) : freeJson, {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 4, 4),
      });
    case 'object':
      return objectFor(schema, depth);
    default:
      // {}: anything (the free-form members, e.g. preferences values).
      return freeJson;
  }
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'date-time') return dateTime;
  if (schema.format === 'date') return calendarDate;
  return shortText(schema.minLength ?? 0, schema.maxLength ?? 64);
}

function objectFor(schema: JsonSchema, depth: number): fc.Arbitrary<Json> {
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  if (names.length === 0) {
    if (depth >= MAX_DEPTH) return fc.constant({});
    const member =
      typeof schema.additionalProperties === 'object' ? valueFor(schema.additionalProperties, depth + 1) : freeJson;
    return fc.dictionary(shortText(0, 16), member, { maxKeys: 4 });
  }
  const required = schema.required ?? [];
  const model = Object.fromEntries(names.map((name) => [name, valueFor(properties[name]!, depth + 1)]));
  return fc.record(model, { requiredKeys: required.filter((name) => names.includes(name)) });
}
