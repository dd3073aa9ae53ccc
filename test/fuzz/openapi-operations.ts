// Every operation an OpenAPI 3.1 document (as @fastify/swagger builds it)
// describes: method, path, its parameters by location and its JSON body schema.
// The fuzzer generates requests from these, so a new route is fuzzed without
// anyone touching the fuzz tests.

/** The JSON Schema subset the services' zod schemas turn into. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Parameter {
  readonly name: string;
  readonly required: boolean;
  readonly schema: JsonSchema;
}

/** Where a parameter goes, as OpenAPI's `in` names it (no route takes a cookie). */
export type ParameterLocation = 'path' | 'query' | 'header';

export interface Operation {
  /** e.g. "connector PATCH /connector/profiles/{id}" */
  readonly label: string;
  readonly method: HttpMethod;
  /** The OpenAPI path template, e.g. /demo/clients/{client_id}. */
  readonly path: string;
  readonly parameters: Readonly<Record<ParameterLocation, readonly Parameter[]>>;
  readonly body?: { readonly schema: JsonSchema; readonly required: boolean; readonly examples: readonly unknown[] };
  /**
   * The path parameter that names an item of this operation's collection
   * (client_id for POST /demo/clients and for /demo/clients/{client_id}): a
   * body member of that name is the item's own key, any other known id in a
   * body is a reference to an item that must exist.
   */
  readonly itemKey?: string;
}

interface OpenApiParameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema?: JsonSchema;
}

interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: {
    required?: boolean;
    content?: Record<
      string,
      { schema?: JsonSchema; example?: unknown; examples?: Record<string, { value?: unknown }> }
    >;
  };
}

export interface OpenApiDocument {
  paths?: Record<string, Partial<Record<string, OpenApiOperation>>>;
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export function operationsOf(service: string, document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method.toLowerCase()];
      if (!operation) continue;
      const parametersIn = (where: ParameterLocation) =>
        (operation.parameters ?? [])
          .filter((parameter) => parameter.in === where)
          .map((parameter): Parameter => ({
            name: parameter.name,
            required: parameter.required ?? false,
            schema: parameter.schema ?? {},
          }));
      const json = operation.requestBody?.content?.['application/json'];
      operations.push({
        label: `${service} ${method} ${path}`,
        method,
        path,
        parameters: { path: parametersIn('path'), query: parametersIn('query'), header: parametersIn('header') },
        ...(json
          ? {
              body: {
                schema: json.schema ?? {},
                required: operation.requestBody?.required ?? false,
                examples: examplesOf(json),
              },
            }
          : {}),
      });
    }
  }
  return operations.map((operation) => {
    const itemKey = itemKeyOf(operation, operations);
    return itemKey === undefined ? operation : { ...operation, itemKey };
  });
}

/** /demo/clients/{client_id} -> client_id; /demo/clients -> the same, from its item path. */
function itemKeyOf(operation: Operation, all: readonly Operation[]): string | undefined {
  const last = /\/\{([^}]+)\}$/.exec(operation.path)?.[1];
  if (last !== undefined) return last;
  const item = all.find(
    (other) =>
      other.path.startsWith(`${operation.path}/{`) && /^\/\{[^}/]+\}$/.test(other.path.slice(operation.path.length)),
  );
  return item ? /\{([^}]+)\}$/.exec(item.path)?.[1] : undefined;
}

/** The body examples the document gives (one, or several by name): valid documents the schema alone rarely yields. */
function examplesOf(media: { example?: unknown; examples?: Record<string, { value?: unknown }> }): unknown[] {
  if (media.example !== undefined) return [media.example];
  return Object.values(media.examples ?? {}).map((example) => example.value);
}
