// One operation's requests as a fast-check arbitrary. Each request is valid
// but for its focus: the body (a member replaced by a hostile value, dropped,
// added, padded, or no JSON at all), one path segment, the query (one
// parameter, repeated or unknown ones, a forged cursor), one header (If-Match,
// Idempotency-Key, Authorization, X-Request-Id, Content-Type, ...) or the
// method; some requests are wholly valid, and some hostile everywhere at once.
// So most requests get past the first check and reach the code behind it.
import fc from 'fast-check';
import {
  AUTHORIZATIONS,
  CONNECTION_STRINGS,
  CONTENT_TYPES,
  encodedHostile,
  forgedCursor,
  headerSafe,
  hostileKey,
  hostileString,
  hostileValue,
  IDEMPOTENCY_KEYS,
  IF_MATCH,
  jsonText,
  MALFORMED_BODIES,
  MALFORMED_BYTES,
  percentEncode,
  plausibleCursor,
  REQUEST_IDS,
  SECRET_CANARY,
  type BodyValue,
} from './hostile-values.js';
import type { Operation, Parameter } from './openapi-operations.js';
import { valueFor, type Json } from './schema-values.js';

export interface FuzzRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload?: string | Buffer;
  /**
   * If-Match to resolve at send time: CURRENT (the item's ETag now), STALE (a well-formed stale one) or the value
   * itself.
   */
  readonly ifMatch?: string;
  /** How the body was made, for reports: "valid", "replace body.name", "malformed JSON", ... */
  readonly bodyShape: string;
}

/** Ids that exist when the request is sent, by path parameter name (the harness keeps them seeded). */
export type KnownIds = Readonly<Record<string, readonly string[]>>;

type Mutation =
  | { kind: 'none' }
  | { kind: 'replace'; at: number; value: BodyValue }
  | { kind: 'drop'; at: number }
  | { kind: 'extra'; at: number; key: string; value: BodyValue }
  | { kind: 'root'; value: BodyValue }
  | { kind: 'pad'; at: number; length: number };

/** How a hostile body breaks its document; now and then it does not (the rest of the request may). */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 16, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('extra' as const), at: fc.nat(), key: hostileKey, value: hostileValue }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('root' as const), value: hostileValue }) },
  // Just under Fastify's 1 MiB body limit, and twice over it: a few per run
  // (each one valid near-1-MiB document is stored, and costs the most of all).
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('pad' as const),
      at: fc.nat(),
      length: fc.constantFrom(900_000, 2 * 1024 * 1024),
    }),
  },
);

type JsonObject = { [key: string]: BodyValue };
type Container = BodyValue[] | JsonObject;

interface Member {
  readonly parent: Container;
  readonly key: string;
  readonly path: string;
}

function isPlainObject(value: BodyValue | undefined): value is JsonObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

function isContainer(value: BodyValue | undefined): value is Container {
  return Array.isArray(value) || isPlainObject(value);
}

/** Every member of the document, depth first: where a mutation can strike. */
function members(value: BodyValue, path: string[] = [], found: Member[] = []): Member[] {
  if (!isContainer(value)) return found;
  for (const [key, item] of Object.entries(value)) {
    found.push({ parent: value, key, path: [...path, key].join('.') });
    members(item, [...path, key], found);
  }
  return found;
}

function containers(value: BodyValue): { object: JsonObject; path: string }[] {
  const objects: { object: JsonObject; path: string }[] = [];
  if (isPlainObject(value)) objects.push({ object: value, path: 'body' });
  for (const member of members(value)) {
    const item = memberValue(member);
    if (isPlainObject(item)) objects.push({ object: item, path: `body.${member.path}` });
  }
  return objects;
}

function memberValue({ parent, key }: Member): BodyValue | undefined {
  return Array.isArray(parent) ? parent[Number(key)] : parent[key];
}

function setMember({ parent, key }: Member, value: BodyValue): void {
  if (Array.isArray(parent)) parent[Number(key)] = value;
  else parent[key] = value;
}

/** Removes the member; an array closes the gap (a hole would not be JSON). */
function dropMember({ parent, key }: Member): void {
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else Reflect.deleteProperty(parent, key);
}

function mutate(original: Json, change: Mutation): { value: BodyValue; shape: string } {
  const value = structuredClone(original) as BodyValue;
  const pick = <T>(list: T[], at: number): T | undefined => list[at % list.length];
  switch (change.kind) {
    case 'none':
      return { value, shape: 'valid' };
    case 'root':
      return { value: change.value, shape: 'root replaced' };
    case 'replace':
    case 'drop':
    case 'pad': {
      const target = pick(members(value), change.at);
      if (!target) return { value: change.kind === 'replace' ? change.value : value, shape: `${change.kind} body` };
      if (change.kind === 'drop') dropMember(target);
      else setMember(target, change.kind === 'replace' ? change.value : 'x'.repeat(change.length));
      return { value, shape: `${change.kind} body.${target.path}` };
    }
    case 'extra': {
      const target = pick(containers(value), change.at);
      if (!target) return { value, shape: 'extra (no object)' };
      // defineProperty: a "__proto__" member must be an own member, as JSON.parse would make it.
      Object.defineProperty(target.object, change.key, {
        value: change.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      return { value, shape: `extra ${target.path}.${JSON.stringify(change.key).slice(0, 40)}` };
    }
  }
}

/**
 * Puts the secrets in: mostly one of the curated connection strings (refused or
 * unreachable targets, never the network, many carrying the canary as their
 * password), and the canary as credentials.password. No answer or log may show it.
 */
function withSecrets(document: Json, connection: string, roll: number): Json {
  if (roll >= 8 || typeof document !== 'object' || document === null || Array.isArray(document)) return document;
  const withSecret: { [key: string]: Json } = { ...document };
  if ('connection_string' in document) withSecret.connection_string = connection;
  const credentials = document.credentials;
  if (typeof credentials === 'object' && credentials !== null && !Array.isArray(credentials)) {
    withSecret.credentials = { ...credentials, password: `${roll % 2 ? 'p' : ''}${SECRET_CANARY}` };
  }
  return withSecret;
}

type Focus = 'none' | 'body' | 'path' | 'query' | 'headers' | 'method' | 'everything';

function focusFor(operation: Operation): fc.Arbitrary<Focus> {
  const choices: fc.WeightedArbitrary<Focus>[] = [
    { weight: 3, arbitrary: fc.constant('none') },
    { weight: operation.body ? 6 : 1, arbitrary: fc.constant('body') },
    { weight: operation.parameters.query.length ? 4 : 1, arbitrary: fc.constant('query') },
    { weight: 2, arbitrary: fc.constant('headers') },
    { weight: 1, arbitrary: fc.constant('method') },
    { weight: 2, arbitrary: fc.constant('everything') },
  ];
  if (operation.parameters.path.length) choices.push({ weight: 3, arbitrary: fc.constant('path') });
  return fc.oneof(...choices);
}

/** A path segment: the decoded id when it is one a client could mean, and the URL text. */
interface Segment {
  readonly id?: string;
  readonly encoded: string;
}

/** A generated value as URL text: strings as they are, anything else as its JSON. */
function asText(value: Json): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function validSegment(parameter: Parameter, known: KnownIds): fc.Arbitrary<Segment> {
  const ids = known[parameter.name] ?? [];
  const generated = valueFor(parameter.schema).map((value): Segment => ({
    id: asText(value),
    encoded: percentEncode(asText(value)),
  }));
  if (ids.length === 0) return generated;
  const existing = fc.constantFrom(...ids).map((id): Segment => ({ id, encoded: percentEncode(id) }));
  return fc.oneof({ weight: 4, arbitrary: existing }, { weight: 1, arbitrary: generated });
}

const hostileSegment: fc.Arbitrary<Segment> = fc.oneof(
  { weight: 6, arbitrary: encodedHostile.map((encoded): Segment => ({ encoded })) },
  { weight: 1, arbitrary: fc.constant<Segment>({ encoded: '' }) },
);

function segmentsFor(operation: Operation, known: KnownIds, hostile: 'none' | 'one' | 'all'): fc.Arbitrary<Segment[]> {
  const valid = operation.parameters.path.map((parameter) => validSegment(parameter, known));
  if (hostile === 'none' || valid.length === 0) return fc.tuple(...valid);
  if (hostile === 'all') return fc.tuple(...valid.map((segment) => fc.oneof(segment, hostileSegment)));
  return fc
    .tuple(fc.tuple(...valid), fc.nat(), hostileSegment)
    .map(([segments, at, broken]) =>
      segments.map((segment, index) => (index === at % segments.length ? broken : segment)),
    );
}

function validQueryPair(parameter: Parameter): fc.Arbitrary<string | undefined> {
  const key = encodeURIComponent(parameter.name);
  const value =
    parameter.name === 'cursor'
      ? plausibleCursor
      : valueFor(parameter.schema).map((generated) => percentEncode(asText(generated)));
  return fc
    .option(
      value.map((text) => `${key}=${text}`),
      { freq: 2 },
    )
    .map((pair) => pair ?? undefined);
}

function hostileQueryPair(parameter: Parameter): fc.Arbitrary<string> {
  const key = encodeURIComponent(parameter.name);
  const valid = valueFor(parameter.schema).map((value) => `${key}=${percentEncode(asText(value))}`);
  const options: fc.WeightedArbitrary<string>[] = [
    { weight: 4, arbitrary: encodedHostile.map((value) => `${key}=${value}`) },
    { weight: 1, arbitrary: fc.constantFrom(key, `${key}=`, `${key}[]=1`, `${key}[a]=1`, `${key}[__proto__]=1`) },
    { weight: 1, arbitrary: fc.tuple(valid, encodedHostile).map(([first, second]) => `${first}&${key}=${second}`) },
  ];
  if (parameter.name === 'cursor')
    options.push({ weight: 4, arbitrary: forgedCursor.map((cursor) => `${key}=${cursor}`) });
  return fc.oneof(...options);
}

const extraQueryPair: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(hostileKey, encodedHostile).map(([key, value]) => `${percentEncode(key)}=${value}`),
  fc.constantFrom(
    '&',
    '=',
    '==',
    '&&&',
    'a=1&a=2&a=3',
    '%',
    '%zz=%zz',
    '__proto__[x]=1',
    '__proto__.x=1',
    'constructor[prototype][x]=1',
    'constructor=1',
    'hasOwnProperty=1',
  ),
);

function queryText(pairs: (string | undefined)[], bareQuestionMark: boolean): string {
  const text = pairs.filter((pair): pair is string => pair !== undefined).join('&');
  return text ? `?${text}` : bareQuestionMark ? '?' : '';
}

function queryFor(operation: Operation, hostile: 'none' | 'one' | 'all'): fc.Arbitrary<string> {
  const { query } = operation.parameters;
  const valid = fc.tuple(...query.map(validQueryPair));
  if (hostile === 'none') return valid.map((pairs) => queryText(pairs, false));
  if (hostile === 'all') {
    const anyPair = (parameter: Parameter) => fc.oneof(validQueryPair(parameter), hostileQueryPair(parameter));
    return fc
      .tuple(fc.tuple(...query.map(anyPair)), fc.array(extraQueryPair, { maxLength: 2 }), fc.boolean())
      .map(([pairs, extras, bare]) => queryText([...pairs, ...extras], bare));
  }
  // One parameter broken, or something added that no parameter is.
  const extra = extraQueryPair.map((pair) => ({ at: -1, pair }));
  const broken: fc.Arbitrary<{ at: number; pair: string }> =
    query.length > 0
      ? fc.oneof(
          {
            weight: 3,
            arbitrary: fc.oneof(
              ...query.map((parameter, at) => hostileQueryPair(parameter).map((pair) => ({ at, pair }))),
            ),
          },
          { weight: 1, arbitrary: extra },
        )
      : extra;
  return fc
    .tuple(valid, broken)
    .map(([pairs, { at, pair }]) =>
      queryText(at < 0 ? [...pairs, pair] : pairs.map((valid, index) => (index === at ? pair : valid)), false),
    );
}

/** A body before it meets its path: the document and how to break it, or a payload that is no document. */
type BodyPlan =
  | {
      readonly kind: 'document';
      readonly document: Json;
      readonly roll: number;
      readonly pick: number;
      readonly change: Mutation;
    }
  | { readonly kind: 'payload'; readonly payload?: string | Buffer; readonly shape: string };

interface Body {
  readonly payload?: string | Buffer;
  readonly shape: string;
}

/**
 * The document for the body, valid for the schema, with the secrets in, its
 * own key equal to the path's (a PATCH naming another id is refused before it
 * gets anywhere) and, mostly, references to items that exist.
 */
function aligned(
  operation: Operation,
  known: KnownIds,
  segments: Segment[],
  plan: { document: Json; roll: number; pick: number },
): Json {
  const { document, roll, pick } = plan;
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return document;
  const pathIds = new Map(operation.parameters.path.map((parameter, index) => [parameter.name, segments[index]?.id]));
  const result: { [key: string]: Json } = { ...document };
  for (const name of Object.keys(document)) {
    const pathId = pathIds.get(name);
    const ids = known[name] ?? [];
    if (pathId !== undefined && roll < 9) result[name] = pathId;
    else if (name !== operation.itemKey && ids.length > 0 && roll < 8) result[name] = ids[pick % ids.length] ?? '';
  }
  return result;
}

function bodyOf(operation: Operation, known: KnownIds, segments: Segment[], plan: BodyPlan): Body {
  if (plan.kind === 'payload')
    return plan.payload === undefined ? { shape: plan.shape } : { payload: plan.payload, shape: plan.shape };
  const { value, shape } = mutate(aligned(operation, known, segments, plan), plan.change);
  return { payload: jsonText(value), shape };
}

const nonJsonBody: fc.Arbitrary<BodyPlan> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(...MALFORMED_BODIES)
      .map((payload): BodyPlan => ({ kind: 'payload', payload, shape: 'malformed JSON' })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(...MALFORMED_BYTES)
      .map((payload): BodyPlan => ({ kind: 'payload', payload, shape: 'malformed bytes' })),
  },
  {
    weight: 1,
    arbitrary: fc.constant<BodyPlan>({
      kind: 'payload',
      payload: `{"x":"${'y'.repeat(2 * 1024 * 1024)}"}`,
      shape: '2-MiB',
    }),
  },
  { weight: 1, arbitrary: fc.constant<BodyPlan>({ kind: 'payload', shape: 'absent' }) },
);

/** The bodies of one operation, valid and hostile. Built once: fast-check's string arbitraries are costly to build. */
function bodyPlans(operation: Operation): { valid: fc.Arbitrary<BodyPlan>; hostile: fc.Arbitrary<BodyPlan> } {
  const schema = operation.body?.schema ?? { type: 'object' };
  // The documented examples too: a questionnaire with cross-member rules is valid by example, hardly by chance.
  const examples = (operation.body?.examples ?? []) as Json[];
  const value =
    examples.length > 0
      ? fc.oneof({ weight: 3, arbitrary: valueFor(schema) }, fc.constantFrom(...examples))
      : valueFor(schema);
  const document = fc
    .tuple(value, fc.constantFrom(...CONNECTION_STRINGS), fc.nat(9), fc.nat())
    .map(([value, connection, roll, pick]) => ({ document: withSecrets(value, connection, roll), roll, pick }));
  const valid = operation.body
    ? document.map((plan): BodyPlan => ({ kind: 'document', ...plan, change: { kind: 'none' } }))
    : fc.constant<BodyPlan>({ kind: 'payload', shape: 'absent' });
  const mutated = fc
    .tuple(document, mutation)
    .map(([plan, change]): BodyPlan => ({ kind: 'document', ...plan, change }));
  return { valid, hostile: fc.oneof({ weight: 5, arbitrary: mutated }, { weight: 2, arbitrary: nonJsonBody }) };
}

const OTHER_HEADERS = [
  'content-encoding: gzip',
  'content-encoding: br',
  'accept: application/xml',
  'accept: */*;q=0',
  'x-forwarded-for: 127.0.0.1, ::1',
  'x-forwarded-host: evil.example',
  'range: bytes=0-1',
  'if-none-match: *',
  'expect: 100-continue',
  'x-http-method-override: DELETE',
  'cookie: __proto__=x',
];

interface Headers {
  readonly contentType?: string;
  readonly ifMatch?: string;
  readonly idempotencyKey?: string;
  readonly authorization?: string;
  readonly requestId?: string;
  readonly other?: string;
}

type HeaderName = keyof Headers;

const hostileHeader: Record<HeaderName, fc.Arbitrary<string>> = {
  contentType: fc.constantFrom(...CONTENT_TYPES),
  ifMatch: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...IF_MATCH) }, { weight: 1, arbitrary: hostileString }),
  idempotencyKey: fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...IDEMPOTENCY_KEYS) },
    { weight: 1, arbitrary: hostileString },
  ),
  authorization: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...AUTHORIZATIONS) },
    { weight: 1, arbitrary: hostileString.map((text) => `Bearer ${text}`) },
  ),
  requestId: fc.constantFrom(...REQUEST_IDS),
  other: fc.constantFrom(...OTHER_HEADERS),
};

function validHeaders(operation: Operation, hasPayload: boolean): fc.Arbitrary<Headers> {
  const takesIfMatch = operation.parameters.header.some((header) => header.name === 'if-match');
  const optional = fc.record(
    {
      ifMatch: fc.constantFrom(...(takesIfMatch ? ['CURRENT', 'STALE', '*'] : ['*'])),
      // Mostly fresh keys, as a client retrying safely would send; now and then one
      // used before, for another body (422) or, rarely, the same one (a replay).
      idempotencyKey: fc.oneof(
        { weight: 4, arbitrary: fc.noBias(fc.uuid()).map((uuid) => `fuzz-${uuid}`) },
        { weight: 1, arbitrary: fc.constantFrom('fuzz-reused-1', 'fuzz-reused-2') },
      ),
    },
    { requiredKeys: [] },
  );
  // A content type only with a body: JSON without one is a 400 of its own (the headers focus sends that).
  if (!hasPayload) return optional;
  return fc
    .tuple(optional, fc.constantFrom('application/json', 'application/json; charset=utf-8'))
    .map(([headers, contentType]): Headers => ({ ...headers, contentType }));
}

function headersFor(operation: Operation, hasPayload: boolean, hostile: 'none' | 'one' | 'all'): fc.Arbitrary<Headers> {
  const valid = validHeaders(operation, hasPayload);
  if (hostile === 'none') return valid;
  const names = Object.keys(hostileHeader) as HeaderName[];
  if (hostile === 'one') {
    return fc
      .tuple(valid, fc.constantFrom(...names))
      .chain(([headers, name]) => hostileHeader[name].map((value): Headers => ({ ...headers, [name]: value })));
  }
  const maybe = (arbitrary: fc.Arbitrary<string>) => fc.option(arbitrary, { freq: 3, nil: undefined });
  return fc
    .tuple(
      valid,
      fc.record(
        Object.fromEntries(names.map((name) => [name, maybe(hostileHeader[name])])) as Record<
          HeaderName,
          fc.Arbitrary<string | undefined>
        >,
      ),
    )
    .map(([headers, hostileOnes]): Headers => {
      const merged: Record<string, string | undefined> = { ...headers };
      for (const name of names) if (hostileOnes[name] !== undefined) merged[name] = hostileOnes[name];
      return merged;
    });
}

function wireHeaders(headers: Headers): Record<string, string> {
  // Header values as a client can put them on the wire: latin1 bytes, no controls.
  const sent: Record<string, string> = {};
  if (headers.contentType !== undefined) sent['content-type'] = headers.contentType;
  if (headers.idempotencyKey !== undefined) sent['idempotency-key'] = headerSafe(headers.idempotencyKey);
  if (headers.authorization !== undefined) sent.authorization = headerSafe(headers.authorization);
  if (headers.requestId !== undefined) sent['x-request-id'] = headers.requestId;
  if (headers.other !== undefined) {
    const [name = 'x-other', value = ''] = headers.other.split(': ');
    sent[name] = value;
  }
  return sent;
}

type Level = 'none' | 'one' | 'all';
const LEVELS: readonly Level[] = ['none', 'one', 'all'];

function byLevel<T>(build: (level: Level) => fc.Arbitrary<T>): Record<Level, fc.Arbitrary<T>> {
  return Object.fromEntries(LEVELS.map((level) => [level, build(level)])) as Record<Level, fc.Arbitrary<T>>;
}

export function requestsFor(operation: Operation, known: KnownIds): fc.Arbitrary<FuzzRequest> {
  // Every arbitrary is built here, once; the chains below only pick among them.
  const segments = byLevel((level) => segmentsFor(operation, known, level));
  const queries = byLevel((level) => queryFor(operation, level));
  const headers = {
    payload: byLevel((level) => headersFor(operation, true, level)),
    none: byLevel((level) => headersFor(operation, false, level)),
  };
  const bodies = bodyPlans(operation);
  const otherMethod = fc.constantFrom('OPTIONS', 'HEAD', 'GET', 'PATCH', 'DELETE', 'PUT', 'POST');
  return focusFor(operation).chain((focus) => {
    const level = (part: Focus): Level => (focus === 'everything' ? 'all' : focus === part ? 'one' : 'none');
    const brokenBody = focus === 'body' || focus === 'everything';
    const method = focus === 'method' || focus === 'everything' ? otherMethod : fc.constant<string>(operation.method);
    return fc
      .tuple(method, segments[level('path')], queries[level('query')], brokenBody ? bodies.hostile : bodies.valid)
      .chain(([chosenMethod, chosenSegments, query, plan]) => {
        const body = bodyOf(operation, known, chosenSegments, plan);
        return headers[body.payload === undefined ? 'none' : 'payload'][level('headers')].map(
          (chosenHeaders): FuzzRequest => {
            let path = operation.path;
            operation.parameters.path.forEach((parameter, index) => {
              path = path.replace(`{${parameter.name}}`, chosenSegments[index]?.encoded ?? '');
            });
            return {
              method: chosenMethod,
              url: `${path}${query}`,
              headers: wireHeaders(chosenHeaders),
              ...(body.payload === undefined ? {} : { payload: body.payload }),
              ...(chosenHeaders.ifMatch === undefined ? {} : { ifMatch: chosenHeaders.ifMatch }),
              bodyShape: brokenBody
                ? body.shape
                : `${body.shape}, ${focus === 'none' ? 'all valid' : `${focus} broken`}`,
            };
          },
        );
      });
  });
}
