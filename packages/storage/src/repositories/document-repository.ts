// The one implementation behind the three repositories: each table is a key, a
// JSONB document and creation (and, on two tables, update) timestamps. A spec
// names the columns; the schema validates every write.
import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../database/tables.js';
import { AlreadyExistsError, NotFoundError, VersionMismatchError } from '../errors.js';
import { currentShape, readShape, type PythonShape } from '../legacy/current-shape.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { applyMergePatch, type JsonObject } from './json-merge-patch.js';
import { changeParameters, insertAuditRows, insertEventRows, type ChangeRows } from '../changes/change-records.js';
import { prepareStatement, type PreparedStatement } from './prepared-statement.js';
import { validateDocument, validateKey } from './validate-document.js';

export interface DocumentTableSpec {
  readonly table: keyof Database;
  readonly keyColumn: string;
  readonly dataColumn: string;
  /** service_proposals has no updated_at in the guide's DDL. */
  readonly hasUpdatedAt: boolean;
  /** How the Python services' shape of this table's documents maps to the current one (read and adoption). */
  readonly fromPython?: PythonShape;
  /**
   * Top-level members with a b-tree on (data->>member, created_at, key): a list
   * filtered on one of them also names it as text, so the planner can walk that
   * index instead of reading past the rows of other values.
   */
  readonly indexedMembers?: readonly string[];
}

export interface RepositoryOptions {
  /**
   * The last step of every write, after validation: the Connector seals here any
   * plaintext secret a row written by a Python service still holds.
   */
  readonly beforeStore?: (key: string, document: JsonObject) => JsonObject;
}

export interface StoredDocument<Doc> {
  readonly key: string;
  readonly data: Doc;
  /** ISO-8601 in UTC with microseconds, as PostgreSQL stores it; null only for rows written without one. */
  readonly createdAt: string | null;
  /** Absent on tables without updated_at. */
  readonly updatedAt?: string | null;
  /** Changes whenever the stored document changes: md5 of its JSONB text. */
  readonly version: string;
  /**
   * The document's JSON text as stored, when `data` is exactly that document (the
   * current shape, nothing renamed, salvaged or computed): an answer may splice it
   * instead of serialising `data` again.
   */
  readonly json?: string;
}

export interface ListQuery {
  /** Rows whose document contains this JSON, or any of these (PostgreSQL @>, served by the GIN index). */
  readonly contains?: JsonObject | readonly JsonObject[] | undefined;
  /** created_at strictly after this instant. */
  readonly createdAfter?: Date | string | undefined;
  /** created_at strictly before this instant. */
  readonly createdBefore?: Date | string | undefined;
  readonly limit?: number | undefined;
  /** nextCursor of the previous page. */
  readonly cursor?: string | undefined;
}

export interface Page<Doc> {
  readonly items: StoredDocument<Doc>[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

export interface WriteOptions {
  /** Only write if the row is still at this version (else VersionMismatchError). */
  readonly ifVersion?: string | undefined;
}

export interface CreateOptions {
  /** The create's audit rows and events, written by the insert's own statement, only if it inserted. */
  readonly record?: ChangeRows;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export interface DocumentRepository<Input, Doc> {
  /** Inserts a new row; AlreadyExistsError when the key is taken. */
  create(key: string, document: Input, options?: CreateOptions): Promise<StoredDocument<Doc>>;
  /**
   * `lock` (inside a transaction) holds the row until it ends: 'share' keeps it
   * from being changed or deleted meanwhile, 'update' from being locked by others.
   */
  get(key: string, options?: { lock?: 'share' | 'update' }): Promise<StoredDocument<Doc> | undefined>;
  /** Newest first, ties broken by key (descending); keyset pagination. */
  list(query?: ListQuery): Promise<Page<Doc>>;
  /** Full replace. NotFoundError, VersionMismatchError. */
  replace(key: string, document: Input, options?: WriteOptions): Promise<StoredDocument<Doc>>;
  /** Partial update by JSON Merge Patch (RFC 7386). NotFoundError, VersionMismatchError. */
  merge(key: string, patch: JsonObject, options?: WriteOptions): Promise<StoredDocument<Doc>>;
  /**
   * Read-modify-write under a row lock: `change` sees the current document and
   * returns the next one, or throws to abort (e.g. a forbidden status move).
   */
  update(
    key: string,
    change: (current: Doc) => Input | Promise<Input>,
    options?: WriteOptions,
  ): Promise<StoredDocument<Doc>>;
  /** NotFoundError, VersionMismatchError. Returns the deleted row. */
  delete(key: string, options?: WriteOptions): Promise<StoredDocument<Doc>>;
}

type Executor = Kysely<Database> | Transaction<Database>;
// Table and column names come from a spec, so the builder works untyped inside;
// the DocumentRepository interface is what callers see.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- column names are runtime values here
type AnyDb = Kysely<any>;

interface Row {
  key: string;
  /** The document's JSON text (selected as text and parsed here, so the text can go out as it is). */
  data: string;
  created_at: string | null;
  updated_at?: string | null;
  version: string;
}

const isoUtc = (column: string): RawBuilder<string | null> =>
  sql<string | null>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The columns every statement returns, as Row names them. */
function returnedColumns({ keyColumn, dataColumn, hasUpdatedAt }: DocumentTableSpec) {
  return [
    sql.ref(keyColumn).as('key'),
    sql<string>`${sql.ref(dataColumn)}::text`.as('data'),
    isoUtc('created_at').as('created_at'),
    ...(hasUpdatedAt ? [isoUtc('updated_at').as('updated_at')] : []),
    sql<string>`md5(${sql.ref(dataColumn)}::text)`.as('version'),
  ];
}

const jsonbText = (text: string) => sql`${text}::jsonb`;

/** The statements of the hot paths, the same for every request on a table, and the columns they return. */
interface HotStatements {
  readonly columns: ReturnType<typeof returnedColumns>;
  readonly get: PreparedStatement<'key'>;
  readonly getForShare: PreparedStatement<'key'>;
  readonly getForUpdate: PreparedStatement<'key'>;
  readonly insert: PreparedStatement<'key' | 'json'>;
  /** The insert with its audit rows and events, in one statement (no transaction needed). */
  readonly insertRecorded: PreparedStatement<'key' | 'json' | 'audit' | 'events'>;
  readonly updateData: PreparedStatement<'key' | 'json'>;
}

const hotStatementsBySpec = new WeakMap<DocumentTableSpec, HotStatements>();

/**
 * Built once per table spec. Every dialect here (node-postgres and PGlite)
 * compiles with PostgresQueryCompiler, so the text does not depend on the executor.
 */
function hotStatements(db: AnyDb, spec: DocumentTableSpec): HotStatements {
  const cached = hotStatementsBySpec.get(spec);
  if (cached) return cached;
  const { table, keyColumn, dataColumn, hasUpdatedAt } = spec;
  const columns = returnedColumns(spec);
  const byKey = (key: string) => db.selectFrom(table).select(columns).where(keyColumn, '=', key);
  const insertRow = (key: string, json: string) =>
    db
      .insertInto(table)
      .values({ [keyColumn]: key, [dataColumn]: jsonbText(json) })
      .onConflict((oc) => oc.column(keyColumn).doNothing())
      .returning(columns);
  const statements: HotStatements = {
    columns,
    get: prepareStatement(['key'], ({ key }) => byKey(key)),
    getForShare: prepareStatement(['key'], ({ key }) => byKey(key).forShare()),
    getForUpdate: prepareStatement(['key'], ({ key }) => byKey(key).forUpdate()),
    insert: prepareStatement(['key', 'json'], ({ key, json }) => insertRow(key, json)),
    insertRecorded: prepareStatement(['key', 'json', 'audit', 'events'], ({ key, json, audit, events }) =>
      db
        .with('written', () => insertRow(key, json))
        // Data-modifying CTEs all run; these write only when the insert did.
        // (Kysely puts a raw CTE body in no parentheses of its own.)
        .with('audit', () => sql`(${insertAuditRows(audit)} where exists (select from written))`)
        .with('events', () => sql`(${insertEventRows(events)} where exists (select from written) order by e.ord)`)
        .selectFrom('written')
        .selectAll(),
    ),
    updateData: prepareStatement(['key', 'json'], ({ key, json }) =>
      db
        .updateTable(table)
        .set({ [dataColumn]: jsonbText(json), ...(hasUpdatedAt ? { updated_at: sql`now()` } : {}) })
        .where(keyColumn, '=', key)
        .returning(columns),
    ),
  };
  hotStatementsBySpec.set(spec, statements);
  return statements;
}

function recordSlots(key: string, json: string, record: ChangeRows) {
  const [audit, events] = changeParameters(record);
  return { key, json, audit, events };
}

export function createDocumentRepository<S extends z.ZodType>(
  database: Executor,
  spec: DocumentTableSpec,
  schema: S,
  repositoryOptions: RepositoryOptions = {},
): DocumentRepository<z.input<S>, z.output<S>> {
  type Doc = z.output<S>;
  const db = database as unknown as AnyDb;
  const { table, keyColumn, dataColumn, hasUpdatedAt } = spec;

  const hot = hotStatements(db, spec);
  const { columns } = hot;
  const jsonb = (document: unknown) => jsonbText(JSON.stringify(document));
  const versionIs = (version: string): Expression<SqlBool> =>
    sql<SqlBool>`md5(${sql.ref(dataColumn)}::text) = ${version}`;
  // Rows are read in the current shape whatever shape they were written in (see legacy/current-shape.ts).
  const toStored = (row: Row): StoredDocument<Doc> => {
    const shape = currentShape(schema, spec.fromPython, row.key, JSON.parse(row.data));
    const exact = !shape.changed && shape.needsCompletion.length === 0;
    return {
      key: row.key,
      data: readShape(shape) as Doc,
      createdAt: row.created_at,
      ...(hasUpdatedAt ? { updatedAt: row.updated_at ?? null } : {}),
      version: row.version,
      ...(exact ? { json: row.data } : {}),
    };
  };
  /** A validated document as it is stored: needs_completion is computed on read, never kept. */
  const toStore = (key: string, document: Doc): JsonObject => {
    const { needs_completion: _computed, ...stored } = document as JsonObject;
    const { beforeStore } = repositoryOptions;
    return beforeStore ? beforeStore(key, stored) : stored;
  };
  const setDocument = (document: JsonObject) => ({
    [dataColumn]: jsonb(document),
    ...(hasUpdatedAt ? { updated_at: sql`now()` } : {}),
  });

  /** After a conditional write matched nothing: was the row missing, or at another version? */
  async function explainMiss(executor: AnyDb, key: string): Promise<never> {
    const [row] = (await hot.get.run<Row>(executor, { key })).rows;
    if (!row) throw new NotFoundError(table, key);
    throw new VersionMismatchError(table, key, row.version);
  }

  async function inTransaction<T>(work: (trx: AnyDb) => Promise<T>): Promise<T> {
    return db.isTransaction ? work(db) : db.transaction().execute(work);
  }

  const repository: DocumentRepository<z.input<S>, Doc> = {
    async create(key, document, options = {}) {
      const id = validateKey(keyColumn, key);
      const data = toStore(id, validateDocument(schema, document));
      const json = JSON.stringify(data);
      const { rows } = options.record
        ? await hot.insertRecorded.run<Row>(db, recordSlots(id, json, options.record))
        : await hot.insert.run<Row>(db, { key: id, json });
      const [row] = rows;
      if (!row) throw new AlreadyExistsError(table, id);
      return toStored(row);
    },

    async get(key, options = {}) {
      const statement =
        options.lock === 'share' ? hot.getForShare : options.lock === 'update' ? hot.getForUpdate : hot.get;
      const [row] = (await statement.run<Row>(db, { key })).rows;
      return row && toStored(row);
    },

    async list(query = {}) {
      const limit = Math.min(Math.max(Math.trunc(query.limit ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      const createdAt = sql.ref('created_at');
      const key = sql.ref(keyColumn);
      const contains: readonly JsonObject[] =
        query.contains === undefined ? [] : Array.isArray(query.contains) ? query.contains : [query.contains];
      const containsAny = sql.join(
        contains.map((document) => sql<SqlBool>`${sql.ref(dataColumn)} @> ${jsonb(document)}`),
        sql` or `,
      );
      // Implied by the containment (a string member contains exactly its text): it changes no result.
      const indexed = (spec.indexedMembers ?? []).flatMap((member) => {
        const values: unknown[] = contains.map((document) => document[member]);
        if (values.length === 0 || !values.every((value) => typeof value === 'string')) return [];
        return [sql<SqlBool>`(${sql.ref(dataColumn)}->>${sql.lit(member)}) in (${sql.join(values)})`];
      });
      const rows = (await db
        .selectFrom(table)
        .select(columns)
        .$if(contains.length > 0, (qb) => qb.where(sql<SqlBool>`(${containsAny})`))
        .$if(indexed.length > 0, (qb) => qb.where(sql<SqlBool>`${sql.join(indexed, sql` and `)}`))
        .$if(query.createdAfter !== undefined, (qb) => qb.where('created_at', '>', query.createdAfter))
        .$if(query.createdBefore !== undefined, (qb) => qb.where('created_at', '<', query.createdBefore))
        .$if(after !== undefined, (qb) =>
          // Rows sort created_at DESC (NULLs first, as the b-tree scans backwards), then key DESC.
          // The `<=` conjunct lets the created_at index bound the scan.
          after?.createdAt == null
            ? qb.where(sql<SqlBool>`(${createdAt} is not null or ${key} < ${after?.key})`)
            : qb.where(
                sql<SqlBool>`${createdAt} <= ${after.createdAt}::timestamptz and (${createdAt} < \
${after.createdAt}::timestamptz or ${key} < ${after.key})`,
              ),
        )
        // Qualified: a bare "created_at" in ORDER BY would name the to_char() output
        // column, a text sort that no index serves.
        .orderBy(sql.ref(`${table}.created_at`), 'desc')
        .orderBy(sql.ref(`${table}.${keyColumn}`), 'desc')
        .limit(limit + 1)
        .execute()) as Row[];
      const items = rows.slice(0, limit).map(toStored);
      const last = items.at(-1);
      const nextCursor =
        rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, key: last.key }) : null;
      return { items, nextCursor };
    },

    async replace(key, document, options = {}) {
      const data = toStore(key, validateDocument(schema, document));
      const row = (await db
        .updateTable(table)
        .set(setDocument(data))
        .where(keyColumn, '=', key)
        .$if(options.ifVersion !== undefined, (qb) => qb.where(versionIs(options.ifVersion ?? '')))
        .returning(columns)
        .executeTakeFirst()) as Row | undefined;
      return row ? toStored(row) : explainMiss(db, key);
    },

    merge(key, patch, options) {
      return repository.update(key, (current) => applyMergePatch(current, patch) as z.input<S>, options);
    },

    update(key, change, options = {}) {
      return inTransaction(async (trx) => {
        const [current] = (await hot.getForUpdate.run<Row>(trx, { key })).rows;
        if (!current) throw new NotFoundError(table, key);
        if (options.ifVersion !== undefined && options.ifVersion !== current.version) {
          throw new VersionMismatchError(table, key, current.version);
        }
        // `change` sees the row as a read returns it, so its write stores the current shape.
        const data = toStore(key, validateDocument(schema, await change(toStored(current).data)));
        const [row] = (await hot.updateData.run<Row>(trx, { key, json: JSON.stringify(data) })).rows;
        if (!row) throw new NotFoundError(table, key); // cannot happen: the row is locked
        return toStored(row);
      });
    },

    async delete(key, options = {}) {
      const row = (await db
        .deleteFrom(table)
        .where(keyColumn, '=', key)
        .$if(options.ifVersion !== undefined, (qb) => qb.where(versionIs(options.ifVersion ?? '')))
        .returning(columns)
        .executeTakeFirst()) as Row | undefined;
      return row ? toStored(row) : explainMiss(db, key);
    },
  };
  return repository;
}
