// What a key-plus-JSONB resource says about itself: only how it differs from the
// contract every resource shares (see document-resource.ts).
import type {
  CreateOptions,
  JsonObject,
  OpenDatabase,
  Page,
  StoredDocument,
  WriteOptions,
} from '@analytics-engine/storage';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Change, ChangeEvent } from '../changes/change-log.js';
import type { IdempotencyClaim } from '../idempotency.js';
import type { Scope } from '../protections/api-keys.js';

/** The database, or a transaction of it: what repositories take. */
export type Executor = OpenDatabase['db'];

/** The storage repository a resource is kept in (methods: the typed repositories' list takes narrower filters). */
export interface ResourceRepository<Doc> {
  create(key: string, document: JsonObject, options?: CreateOptions): Promise<StoredDocument<Doc>>;
  get(key: string): Promise<StoredDocument<Doc> | undefined>;
  list(query: Record<string, unknown>): Promise<Page<Doc>>;
  replace(key: string, document: JsonObject, options?: WriteOptions): Promise<StoredDocument<Doc>>;
  update(
    key: string,
    change: (current: Doc) => JsonObject | Promise<JsonObject>,
    options?: WriteOptions,
  ): Promise<StoredDocument<Doc>>;
  delete(key: string, options?: WriteOptions): Promise<StoredDocument<Doc>>;
}

/** OpenAPI text and examples of one body or response. */
export interface SchemaDocs {
  readonly description?: string;
  readonly examples?: readonly unknown[];
}

/** Error responses a route documents beyond the shared ones, by status. */
export type ExtraResponses = Readonly<Record<number, z.ZodType>>;

/** Keys made by the service when a create names none. */
export interface GeneratedKeys {
  /** How the key parameter is described when it may be left out. */
  readonly description: string;
  /** A fresh key; a collision is retried a few times. */
  generate(): string;
  /** The same key on every retry of one Idempotency-Key, so a retry never creates a second item. */
  fromIdempotencyKey(claim: IdempotencyClaim): string;
}

/** How a stored document becomes a response, when not as stored (e.g. secrets redacted). */
export interface Presenter<Doc> {
  readonly schema: z.ZodType;
  present(stored: StoredDocument<Doc>, request: FastifyRequest): unknown;
}

/** Between the body and the table, when they differ (e.g. secrets sealed). */
export interface StoredForm {
  /** The document to store for a whole document a client wrote (create, replace). */
  document(key: string, document: JsonObject): JsonObject;
  /** The merge patch to apply for one a client wrote. */
  patch(key: string, patch: JsonObject): JsonObject;
}

export interface ReferenceCheck<Doc> {
  readonly executor: Executor;
  /** The item's key; undefined on a create whose key is still to be generated. */
  readonly key: string | undefined;
  /** The body without its key: a whole document, or a merge patch. */
  readonly body: JsonObject;
  /** On updates: the item as stored, unlocked (so a missing item is a 404 before its references are looked at). */
  readonly current?: () => Promise<StoredDocument<Doc> | undefined>;
}

/** A write about to be stored, against the row held locked. */
export interface PendingChange<Doc> {
  /** The write's transaction (when lockReferences is set): other rows written with the change go through it. */
  readonly executor: Executor;
  /** The stored document; undefined on create. */
  readonly current: Doc | undefined;
  /** The document to store: the body (create, replace) or the merge of the patch. */
  readonly next: JsonObject;
  /** The body as sent, without its key. */
  readonly body: JsonObject;
  /** What lockReferences returned. */
  readonly references: unknown;
  readonly request: FastifyRequest;
}

/** What a custom delete removed: the item, and any others it took with it (recorded as their own changes). */
export interface Deletion<Doc> {
  readonly deleted: StoredDocument<Doc>;
  readonly alsoDeleted?: readonly Change[];
}

export interface CustomDelete<Doc> {
  readonly querystring: z.ZodObject;
  readonly description: string;
  readonly responses?: ExtraResponses;
  /** Inside the delete's transaction. */
  run(trx: Executor, key: string, query: Record<string, unknown>, options: WriteOptions): Promise<Deletion<Doc>>;
}

/** How a resource's changes are named in its events (the audit trail names them by the resource's noun). */
export interface ResourceEvents<Doc> {
  /** The event types' prefix: connection gives connection.created, connection.updated, connection.deleted. */
  readonly prefix: string;
  /** The member naming the item in its events, e.g. connection_id. */
  readonly idMember: string;
  /** Members the created event carries beyond the id, e.g. connection_type. Never a secret. */
  readonly created?: (document: Doc) => JsonObject;
  /** Members the deleted event carries beyond the id. */
  readonly deleted?: (document: Doc) => JsonObject;
  /** The events of an update, instead of <prefix>.updated {changes, timestamp} (e.g. a status change). */
  readonly updated?: (before: Doc, after: Doc, changes: readonly string[]) => ChangeEvent[];
}

export interface DocumentResourceDefinition<Doc> {
  /** The collection's URL, e.g. /demo/clients. */
  readonly path: string;
  /** The key's name in the path and in flat bodies (client_id), and its schema. */
  readonly key: { readonly name: string; readonly schema: z.ZodString };
  /** How messages name one item: "client 'acme' does not exist". */
  readonly noun: string;
  /** How summaries name one and many: "Create a client configuration", "List client configurations". */
  readonly title: { readonly one: string; readonly many: string };
  readonly tag: string;
  /** The document a client writes, without its key: every request and response schema derives from it. */
  readonly document: z.ZodObject;
  /** Business rules on a whole document (they report with addRuleIssue); the repository's schema holds them too. */
  readonly rules?: (document: JsonObject, context: z.RefinementCtx) => void;
  /** List filters, as query parameters; each is passed to the repository's list under its name. */
  readonly filters?: z.ZodRawShape;
  readonly repository: (executor: Executor) => ResourceRepository<Doc>;
  /** service_proposals has no updated_at in the guide's DDL. */
  readonly hasUpdatedAt: boolean;
  readonly docs?: {
    readonly create?: SchemaDocs;
    readonly replace?: SchemaDocs;
    readonly patch?: SchemaDocs;
    readonly response?: SchemaDocs;
    /** Route descriptions, by operation. */
    readonly operations?: Partial<Record<'create' | 'list' | 'get' | 'patch' | 'replace' | 'delete', string>>;
  };
  /** Error responses beyond the shared ones: on create, and on the updates (PATCH and PUT). */
  readonly responses?: { readonly create?: ExtraResponses; readonly update?: ExtraResponses };
  readonly generatedKeys?: GeneratedKeys;
  readonly storedForm?: StoredForm;
  readonly presenter?: Presenter<Doc>;
  /** The scope a body needs beyond its method's, e.g. admin for one that carries a secret. */
  readonly bodyScope?: (body: unknown) => Scope | undefined;
  /**
   * Before the item's row is locked, in the write's transaction: lock what it
   * names (a proposal's client), so locks are always taken in one order.
   */
  readonly lockReferences?: (check: ReferenceCheck<Doc>) => Promise<unknown>;
  /**
   * Against the row held locked: the rules about the move from `current` to
   * `next` (throw to refuse), and the document to store (e.g. with what is
   * generated from it).
   */
  readonly prepare?: (change: PendingChange<Doc>) => JsonObject | Promise<JsonObject>;
  readonly delete?: CustomDelete<Doc>;
  /** Absent: events named <noun>.created, .updated, .deleted, the item by its key's name. */
  readonly events?: ResourceEvents<Doc>;
}
