// The HTTP contract of a key-plus-JSONB resource, written once: create (201 and
// Location, a generated key when the resource makes them), list (cursor, filters,
// created_at range, newest first), get, merge-patch, replace, delete (204); an
// ETag on every single-item answer and If-Match on every write; 404 / 409 / 412
// and the one error body; OpenAPI from the derived schemas. A resource passes
// only how it differs (resource-definition.ts).
import {
  AlreadyExistsError,
  applyMergePatch,
  findUnstorableText,
  InvalidDocumentError,
  NotFoundError,
  type JsonObject,
  type OpenDatabase,
  type StoredDocument,
} from '@analytics-engine/storage';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ApiError, notFoundError } from '../api-error.js';
import { ifMatchVersion, setEtag } from '../etag.js';
import { pageOptions, type PageQuery } from '../pagination.js';
import { errorResponses, ifMatchHeadersSchema, noContentSchema, writeErrorResponses } from '../route-schemas.js';
import type { DocumentResourceDefinition, Executor, PendingChange, ResourceRepository } from './resource-definition.js';
import { resourceChanges } from './resource-changes.js';
import { resourceSchemas } from './resource-schemas.js';

/** JSON already written (a spliced answer): sent as it is, past the route's serializer. */
function sendJsonText(reply: FastifyReply, text: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(text);
}

/** Generated keys collide once in millions; a few tries make a failure practically impossible. */
const GENERATED_KEY_ATTEMPTS = 5;

const { 400: badRequest, 404: notFound, 409: conflict, 412: stale, 503: unavailable } = errorResponses;

export function registerDocumentResource<Doc>(
  app: FastifyInstance,
  database: OpenDatabase,
  definition: DocumentResourceDefinition<Doc>,
): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const schemas = resourceSchemas(definition);
  const {
    path,
    noun,
    tag,
    key: { name: keyName },
  } = definition;
  const itemPath = `${path}/:${keyName}`;
  const tags = [tag];
  const { one, many } = definition.title;
  const operation = definition.docs?.operations ?? {};
  const repository = definition.repository(database.db);
  /** Outside a transaction, the one repository made at registration: none is built per request. */
  const repositoryFor = (executor: Executor) =>
    executor === database.db ? repository : definition.repository(executor);
  const stored = definition.storedForm;
  const changes = resourceChanges(noun, definition.events ?? { prefix: noun, idMember: keyName });
  const { changeLog } = app;
  const writeConfig = (scope: 'write' | 'admin') => ({
    scope,
    ...(definition.bodyScope ? { bodyScope: definition.bodyScope } : {}),
  });

  /** The OpenAPI heading of an operation: its tag, summary and (when there is one) description. */
  const heading = (summary: string, description: string | undefined) => ({
    tags,
    summary,
    ...(description === undefined ? {} : { description }),
  });

  const send = (request: FastifyRequest, reply: FastifyReply, item: StoredDocument<Doc>) => {
    setEtag(reply, item.version);
    const text = spliced(item);
    return text === undefined ? present(item, request) : sendJsonText(reply, text);
  };
  /** The members an answer adds after the document's own: when it was made (and changed). */
  const timestamps = (item: StoredDocument<Doc>): JsonObject => ({
    created_at: item.createdAt,
    ...(definition.hasUpdatedAt ? { updated_at: item.updatedAt ?? null } : {}),
  });
  const present = (item: StoredDocument<Doc>, request: FastifyRequest): unknown =>
    definition.presenter
      ? definition.presenter.present(item, request)
      : { [keyName]: item.key, ...(item.data as JsonObject), ...timestamps(item) };
  /**
   * What `present` answers, as JSON text with the stored document's own text
   * inside, when the item is the document exactly as stored and the resource
   * shows it as it is: it is then neither parsed into the answer nor serialised
   * again. The members are the stored ones (the same the serializer writes: a
   * document of the current shape holds no member its schema lacks), in the
   * order JSONB keeps them.
   */
  const spliced = (item: StoredDocument<Doc>): string | undefined => {
    if (definition.presenter || item.json === undefined) return undefined;
    const data = item.data as JsonObject;
    const added = timestamps(item);
    // A member named like the key or a timestamp would stand twice: such a document takes the serializer.
    if (keyName in data || Object.keys(added).some((name) => name in data)) return undefined;
    const members = item.json.length > 2 ? `${item.json.slice(1, -1)},` : '';
    return `{${keyMember}${JSON.stringify(item.key)},${members}${JSON.stringify(added).slice(1)}`;
  };
  const keyMember = `${JSON.stringify(keyName)}:`;
  /** The storage's miss, named as this resource names its items. */
  const named = async <T>(key: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof NotFoundError && error.key === key) throw notFoundError(`${noun} '${key}'`);
      throw error;
    }
  };
  /** Every write is one transaction: its references locked first, its audit row and events written with it. */
  const writing = <T>(work: (executor: Executor) => Promise<T>): Promise<T> => database.db.transaction().execute(work);
  const splitBody = (body: unknown, pathKey?: string) => {
    const { [keyName]: bodyKey, ...document } = body as JsonObject;
    if (pathKey !== undefined && bodyKey !== undefined && bodyKey !== pathKey) {
      const message = `must equal the ${keyName} in the path`;
      throw new ApiError(400, 'VALIDATION_FAILED', `body.${keyName}: ${message}`, [
        { path: `body.${keyName}`, message },
      ]);
    }
    // What storage cannot hold is refused here, before a stored form (sealing) could hide it.
    if (stored) rejectUnstorableText(document);
    return { bodyKey: bodyKey as string | undefined, document };
  };
  const prepared = async (change: PendingChange<Doc>) =>
    definition.prepare ? definition.prepare(change) : change.next;

  async function create(
    request: FastifyRequest,
    items: ResourceRepository<Doc>,
    given: string | undefined,
    document: JsonObject,
  ) {
    // The insert writes its audit row and events itself: one statement, no transaction of its own.
    const insert = (key: string) =>
      items.create(key, stored ? stored.document(key, document) : document, {
        record: changeLog.rows(request, [changes.created(key, document as Doc)]),
      });
    if (given !== undefined) return insert(given);
    const generated = definition.generatedKeys;
    if (!generated) throw new Error(`${path}: a create without ${keyName} needs generatedKeys`);
    if (request.idempotency) {
      // A retry whose first attempt wrote the item but lost its answer: that item is the answer.
      const key = generated.fromIdempotencyKey(request.idempotency);
      return (await items.get(key)) ?? insert(key);
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await insert(generated.generate());
      } catch (error) {
        if (!(error instanceof AlreadyExistsError) || attempt >= GENERATED_KEY_ATTEMPTS) throw error;
      }
    }
  }

  routes.post(
    path,
    {
      config: writeConfig('write'),
      schema: {
        ...heading(`Create a ${one}`, operation.create),
        body: schemas.create,
        response: {
          201: schemas.response,
          ...writeErrorResponses,
          409: conflict.describe(`A ${noun} with this ${keyName} exists`),
          ...definition.responses?.create,
        },
      },
    },
    async (request, reply) => {
      const { bodyKey, document: body } = splitBody(request.body);
      const write = async (executor: Executor) => {
        const references = await definition.lockReferences?.({ executor, key: bodyKey, body });
        const document = await prepared({ executor, current: undefined, next: body, body, references, request });
        return create(request, repositoryFor(executor), bodyKey, document);
      };
      // A create is one statement unless references are locked first.
      const item = await (definition.lockReferences ? writing(write) : write(database.db));
      void reply.status(201).header('location', `${path}/${encodeURIComponent(item.key)}`);
      return send(request, reply, item);
    },
  );

  routes.get(
    path,
    {
      config: { scope: 'read' },
      schema: {
        ...heading(`List ${many}, newest first`, operation.list),
        querystring: schemas.listQuery,
        response: { 200: schemas.page, 400: badRequest, 503: unavailable },
      },
    },
    async (request, reply) => {
      const { limit, cursor, created_after, created_before, ...filters } = request.query as PageQuery & JsonObject;
      const page = await repository.list({
        ...pageOptions({ limit, cursor, created_after, created_before }),
        ...filters,
      });
      const texts = page.items.map(spliced);
      if (texts.every((text) => text !== undefined)) {
        return sendJsonText(reply, `{"items":[${texts.join(',')}],"next_cursor":${JSON.stringify(page.nextCursor)}}`);
      }
      return { items: page.items.map((item) => present(item, request)), next_cursor: page.nextCursor };
    },
  );

  routes.get(
    itemPath,
    {
      config: { scope: 'read' },
      schema: {
        ...heading(`Read a ${one}`, operation.get),
        params: schemas.params,
        response: { 200: schemas.response, 400: badRequest, 404: notFound, 503: unavailable },
      },
    },
    async (request, reply) => {
      const key = keyOf(request);
      const item = await repository.get(key);
      if (!item) throw notFoundError(`${noun} '${key}'`);
      return send(request, reply, item);
    },
  );

  const updateResponses = {
    200: schemas.response,
    ...writeErrorResponses,
    404: notFound,
    412: stale,
    ...definition.responses?.update,
  };

  /** What PATCH and PUT share: the key, the body's, If-Match, the references locked, the storage's miss named. */
  const updateRoute = (
    method: 'patch' | 'put',
    docs: { summary: string; description: string; body: typeof schemas.patch },
    write: (update: {
      items: ResourceRepository<Doc>;
      key: string;
      body: JsonObject;
      ifVersion: string | undefined;
      change: (current: Doc, next: JsonObject) => Promise<JsonObject>;
    }) => Promise<{ before: Doc; after: StoredDocument<Doc> }>,
  ) => {
    const action = method === 'patch' ? 'update' : 'replace';
    routes.route({
      method: method.toUpperCase(),
      url: itemPath,
      config: writeConfig('write'),
      schema: { tags, ...docs, params: schemas.params, headers: ifMatchHeadersSchema, response: updateResponses },
      handler: async (request, reply) => {
        const key = keyOf(request);
        const { document: body } = splitBody(request.body, key);
        const ifVersion = ifMatchVersion(request);
        const item = await named(key, () =>
          writing(async (executor) => {
            const items = repositoryFor(executor);
            const references = await definition.lockReferences?.({
              executor,
              key,
              body,
              current: () => items.get(key),
            });
            const change = (current: Doc, next: JsonObject) =>
              prepared({ executor, current, next, body, references, request });
            const { before, after } = await write({ items, key, body, ifVersion, change });
            await changeLog.record(executor, request, [changes.updated(action, before, after)]);
            return after;
          }),
        );
        return send(request, reply, item);
      },
    });
  };

  updateRoute(
    'patch',
    {
      summary: 'Change some members (JSON Merge Patch)',
      description:
        operation.patch ??
        'A member left out is kept, null removes it, a value replaces it; objects merge member by member.',
      body: schemas.patch,
    },
    async ({ items, key, body, ifVersion, change }) => {
      const patch = stored ? stored.patch(key, body) : body;
      let before: Doc | undefined;
      const after = await items.update(
        key,
        (current) => change((before = current), applyMergePatch(current, patch) as JsonObject),
        { ifVersion },
      );
      return { before: before as Doc, after };
    },
  );

  updateRoute(
    'put',
    {
      summary: `Replace a ${one}`,
      description: operation.replace ?? 'Full replace: a member left out is removed.',
      body: schemas.replace,
    },
    async ({ items, key, body, ifVersion, change }) => {
      const storable = (next: JsonObject) => (stored ? stored.document(key, next) : next);
      let before: Doc | undefined;
      const after = await items.update(key, async (current) => storable(await change((before = current), body)), {
        ifVersion,
      });
      return { before: before as Doc, after };
    },
  );

  const customDelete = definition.delete;
  routes.delete(
    itemPath,
    {
      config: { scope: 'admin' },
      schema: {
        ...heading(`Delete a ${one}`, customDelete?.description),
        params: schemas.params,
        ...(customDelete ? { querystring: customDelete.querystring } : {}),
        headers: ifMatchHeadersSchema,
        response: {
          204: noContentSchema,
          400: badRequest,
          404: notFound,
          412: stale,
          503: unavailable,
          ...customDelete?.responses,
        },
      },
    },
    async (request, reply) => {
      const key = keyOf(request);
      const ifVersion = ifMatchVersion(request);
      await named(key, () =>
        writing(async (executor) => {
          const { deleted, alsoDeleted = [] } = customDelete
            ? await customDelete.run(executor, key, request.query as JsonObject, { ifVersion })
            : { deleted: await repositoryFor(executor).delete(key, { ifVersion }) };
          await changeLog.record(executor, request, [...alsoDeleted, changes.deleted(deleted)]);
        }),
      );
      return reply.status(204).send(null);
    },
  );

  function keyOf(request: FastifyRequest): string {
    return (request.params as Record<string, string>)[keyName] ?? '';
  }
}

/** PostgreSQL's JSONB cannot store U+0000 or a lone surrogate. */
function rejectUnstorableText(body: unknown): void {
  const issue = findUnstorableText(body);
  if (issue) throw new InvalidDocumentError([issue]);
}
