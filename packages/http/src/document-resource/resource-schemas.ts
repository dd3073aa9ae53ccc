// Every schema of a resource's routes, derived from its one document schema:
// adding a member to the document is one line, and it is accepted, stored,
// returned and documented on every route.
import { timestampSchema } from '@analytics-engine/storage';
import { z } from 'zod';
import { pageQuerySchema, pageSchema } from '../pagination.js';
import { mergePatchOf } from './merge-patch-schema.js';
import type { DocumentResourceDefinition, SchemaDocs } from './resource-definition.js';

function documented<S extends z.ZodType>(schema: S, docs: SchemaDocs | undefined): S {
  const described = docs?.description === undefined ? schema : schema.describe(docs.description);
  return docs?.examples === undefined ? described : described.meta({ examples: [...docs.examples] });
}

export function resourceSchemas<Doc>(definition: DocumentResourceDefinition<Doc>) {
  const { key, document, rules, docs } = definition;
  const withRules = <S extends z.ZodObject>(schema: S) =>
    rules
      ? schema.superRefine((value, context) => {
          rules(value, context);
        })
      : schema;
  const bodyKey = key.schema.optional().describe(`Optional; when given it must equal the ${key.name} in the path`);
  const createKey = definition.generatedKeys
    ? key.schema.optional().describe(definition.generatedKeys.description)
    : key.schema;

  const stored =
    definition.presenter?.schema ??
    z.object({
      [key.name]: z.string(),
      ...document.shape,
      created_at: timestampSchema.nullable(),
      ...(definition.hasUpdatedAt ? { updated_at: timestampSchema.nullable() } : {}),
    });
  const response = documented(stored, docs?.response);
  return {
    params: z.object({ [key.name]: key.schema }),
    create: documented(withRules(document.extend({ [key.name]: createKey })), docs?.create),
    replace: documented(withRules(document.extend({ [key.name]: bodyKey })), {
      description: 'The whole document: a member left out is removed',
      ...docs?.replace,
    }),
    patch: documented(mergePatchOf(document).extend({ [key.name]: bodyKey }), {
      description:
        'JSON Merge Patch: a member left out is kept, null removes it, a value replaces it; ' +
        'objects merge member by member',
      ...docs?.patch,
    }),
    listQuery: pageQuerySchema.extend(definition.filters ?? {}),
    response,
    page: pageSchema(response),
  };
}
