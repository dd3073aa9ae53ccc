// The compiled response serializer (packages/http/src/serializer.ts) against
// zod's (fastify-type-provider-zod) on every response schema of both services:
// values generated from each schema's JSON Schema with fast-check (unicode and
// lone surrogates in strings, any JSON under unknown members, extra members that
// must be dropped), and wherever zod accepts a value the two must write the same
// bytes, and no stray member (a secret, say) may come out. More runs:
// SERIALIZER_RUNS=2000 pnpm exec vitest run test/serializer.
// zod and fastify-type-provider-zod are not root dependencies: the reference is
// what that serializer compiler does, safeEncode then JSON.stringify, through the
// schemas' own methods.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSerializer } from '../../packages/http/src/serializer.js';
import * as connectionTests from '../../services/connector/src/connection-test-schemas.js';
import * as profiles from '../../services/connector/src/profile-schemas.js';
import * as previews from '../../services/connector/src/preview-schemas.js';
import type { DocumentResourceDefinition } from '../../packages/http/src/document-resource/resource-definition.js';
import { resourceSchemas } from '../../packages/http/src/document-resource/resource-schemas.js';
import { clientResource } from '../../services/demo-config/src/client-resource.js';
import { proposalResource } from '../../services/demo-config/src/proposal-resource.js';
import { defaultPriceBook } from '../../services/demo-config/src/proposal-generator/index.js';
import { newSigningKeyEntry } from '../../services/demo-config/src/licenses/development-signing-key.js';
import { parseLicenseSigningKeys } from '../../services/demo-config/src/licenses/signing-keys.js';
import * as shared from '../../packages/http/src/route-schemas.js';

/** The response and page schemas the document-resource plugin derives for a resource. */
const derived = <Doc>(definition: DocumentResourceDefinition<Doc>) => {
  const { response, page } = resourceSchemas(definition);
  return { responseSchema: response, pageSchema: page };
};
const clients = derived(clientResource);
const proposals = derived(proposalResource(defaultPriceBook, parseLicenseSigningKeys(newSigningKeyEntry('k1'))));

type JsonSchema = Record<string, unknown>;
const runs = Number(process.env.SERIALIZER_RUNS ?? 300);

const anyString = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  maxLength: 40,
});
const isoDateTime = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .chain((date) =>
    fc.constantFrom(
      date.toISOString(),
      date.toISOString().replace('Z', '+02:00'),
      date.toISOString().replace(/\.\d+Z$/, '.123456Z'),
    ),
  );

/** What the types no other keyword narrows here take; integers reach past 32 bits to the safe range. */
const unconstrained = new Map<string, fc.Arbitrary<unknown>>([
  ['null', fc.constant(null)],
  ['boolean', fc.boolean()],
  ['integer', fc.oneof(fc.integer(), fc.maxSafeInteger())],
]);

function valueFor(schema: unknown): fc.Arbitrary<unknown> {
  if (schema === true || schema === undefined) return fc.jsonValue();
  if (typeof schema !== 'object' || schema === null) return fc.constant(null);
  const s = schema as JsonSchema;
  if (Array.isArray(s.anyOf)) return fc.oneof(...(s.anyOf as unknown[]).map(valueFor));
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const types = Array.isArray(s.type) ? (s.type as string[]) : s.type === undefined ? [] : [s.type as string];
  if (types.length === 0) return fc.jsonValue();
  return fc.oneof(
    ...types.map((type): fc.Arbitrary<unknown> => {
      const fixed = unconstrained.get(type);
      if (fixed) return fixed;
      switch (type) {
        case 'number':
          return fc.double({
            noNaN: true,
            noDefaultInfinity: true,
            min: typeof s.minimum === 'number' ? s.minimum : -1e300,
          });
        case 'string':
          return s.format === 'date-time'
            ? isoDateTime
            : s.format === 'date'
              ? isoDateTime.map((text) => text.slice(0, 10))
              : anyString;
        case 'array':
          return fc.array(valueFor(s.items), { maxLength: 4 });
        case 'object': {
          const properties = (s.properties ?? {}) as Record<string, unknown>;
          const required = new Set((s.required ?? []) as string[]);
          const members = Object.fromEntries(
            Object.entries(properties).map(([name, property]) => [
              name,
              // Absent half the time: a document with many rich optional members (a proposal's quote,
              // questionnaire, licence) must often lack them for zod to accept some values at all.
              required.has(name) ? valueFor(property) : fc.option(valueFor(property), { nil: undefined, freq: 2 }),
            ]),
          );
          const extra =
            s.additionalProperties === false
              ? fc.constant({})
              : fc.dictionary(anyString, valueFor(s.additionalProperties), { maxKeys: 3 });
          // Members zod drops: a stray secret must never come out.
          const stray = fc.constantFrom(
            {},
            { password: 'S3CRET-never-shown' },
            { connection_string_sealed: 'v1:k1:abc' },
          );
          return fc.tuple(fc.record(members), extra, stray).map(([known, more, strayMembers]) => {
            const value = Object.fromEntries(
              Object.entries({ ...more, ...known }).filter(([, member]) => member !== undefined),
            );
            return Object.keys(properties).length > 0 ? { ...value, ...strayMembers, ...known } : value;
          });
        }
        default:
          return fc.jsonValue();
      }
    }),
  );
}

interface ZodLike {
  readonly _zod: unknown;
  safeEncode(value: unknown): { success: boolean; data?: unknown };
  toJSONSchema(params: Record<string, unknown>): unknown;
}
const isZod = (value: unknown): value is ZodLike =>
  typeof value === 'object' && value !== null && '_zod' in value && 'safeEncode' in value;

type Serializer = (value: unknown) => string;

/** zod's way, as fastify-type-provider-zod's serializer compiler does it. */
const zodReference =
  (schema: ZodLike): Serializer =>
  (value) => {
    const result = schema.safeEncode(value);
    if (!result.success) throw new Error('zod refuses it');
    return JSON.stringify(result.data);
  };

/** Every response schema of both services, with zod's serializer and the compiled one (undefined: stays with zod). */
const schemas: { name: string; schema: ZodLike; reference: Serializer; compiled: Serializer | undefined }[] = [];
for (const [module, exports] of Object.entries({ connectionTests, profiles, previews, clients, proposals, shared })) {
  for (const [name, schema] of Object.entries(exports as Record<string, unknown>)) {
    if (!isZod(schema) || !/Response|Page|error/i.test(name)) continue;
    const reference = zodReference(schema);
    schemas.push({
      name: `${module}.${name}`,
      schema,
      reference,
      compiled: compileSerializer(schema as unknown as Parameters<typeof compileSerializer>[0], reference),
    });
  }
}
const compiledSchemas = schemas.filter((entry) => entry.compiled !== undefined);

describe('the compiled response serializer', () => {
  it('covers the response schemas of both services, and compiles most of them', () => {
    expect(schemas.length).toBeGreaterThan(5);
    expect(compiledSchemas.length).toBeGreaterThan(schemas.length / 2);
  });

  it.each(compiledSchemas)('writes the same bytes as zod for $name', ({ schema, reference, compiled }) => {
    const jsonSchema = schema.toJSONSchema({
      io: 'output',
      target: 'draft-07',
      unrepresentable: 'any',
      reused: 'inline',
    });
    let accepted = 0;
    fc.assert(
      fc.property(valueFor(jsonSchema), (value) => {
        let expected: string;
        try {
          expected = reference(value);
        } catch {
          return; // zod refuses it: the handlers never produce it
        }
        accepted++;
        const actual = compiled?.(value);
        expect(actual).toBe(expected);
        expect(actual).not.toContain('S3CRET-never-shown');
      }),
      { numRuns: runs },
    );
    expect(accepted, 'zod accepted none of the generated values: the generator tests nothing').toBeGreaterThan(0);
  });
});
