// Preview of a SQL table. The table and columns are looked up in the source's
// catalogue with bound values, and only names found there are used, each quoted
// by the driver's own identifier quoting; the row limit is bound too. The query
// runs in a read-only transaction under a statement timeout, and cuts long values
// at the source so a huge cell never crosses the wire whole.
import { describeSqlTables, placeholder, type DiscoveredColumn } from './discovery.js';
import { PreviewRequestError } from './preview-errors.js';
import { MAX_VALUE_BYTES, type PreviewColumn, type RawRow } from './preview-shaping.js';
import type { ProbeContext, ProbeInput } from './probe.js';
import { withSqlSession, type SqlSession } from './sql-source.js';

export interface PreviewRequest {
  /** The table as the caller named it: a schema.table key, or a bare name in the default schema. */
  readonly table: string;
  /** The schema and name discovery stored for that key, when it holds it. */
  readonly known?: { readonly schema?: string | undefined; readonly name: string } | undefined;
  readonly limit: number;
  readonly columns?: readonly string[] | undefined;
}

export interface RawPreview {
  readonly table: string;
  readonly columns: PreviewColumn[];
  readonly rows: RawRow[];
}

/** Characters read of a text value: enough to fill 4 KiB and see that there was more. */
const TEXT_READ = MAX_VALUE_BYTES + 1;

export function previewSql(input: ProbeInput, context: ProbeContext, asked: PreviewRequest): Promise<RawPreview> {
  return withSqlSession(input, context, async (session) => {
    const ref = tableRef(session, asked);
    const statementMs = Math.max(100, context.deadlineMs - 100);
    return inReadOnlyTransaction(session, statementMs, async () => {
      const described = await describeSqlTables(session.dialect, [ref], session.query);
      const all = [...described.values()][0]?.columns ?? [];
      if (all.length === 0) {
        throw new PreviewRequestError(
          'UNKNOWN_TABLE',
          `the source has no table or view '${asked.table}'`,
          'body.table',
        );
      }
      const chosen = chooseColumns(all, asked.columns);
      const statement = selectStatement(session, ref, chosen, asked.limit, statementMs);
      const rows = await session.query(statement);
      return {
        table: asked.table,
        columns: chosen.map((c) => ({ name: c.name, type: c.type })),
        rows: rows.map((row) => ({
          values: chosen.map((_c, i) => row[`v${String(i)}`]),
          lengths: chosen.map((_c, i) => lengthOf(row[`n${String(i)}`])),
        })),
      };
    });
  });
}

function lengthOf(value: unknown): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const length = Number(typeof value === 'bigint' ? value.toString() : value);
  return Number.isFinite(length) ? length : null;
}

/** Discovery's schema and name for a key it holds; else schema.table split at the first dot, or the default schema. */
function tableRef(session: SqlSession, asked: PreviewRequest): { schema: string; name: string } {
  if (asked.known) return { schema: asked.known.schema ?? defaultSchema(session), name: asked.known.name };
  const dot = asked.table.indexOf('.');
  if (dot > 0) return { schema: asked.table.slice(0, dot), name: asked.table.slice(dot + 1) };
  return { schema: defaultSchema(session), name: asked.table };
}

function defaultSchema(session: SqlSession): string {
  if (session.dialect === 'postgres') return 'public';
  if (session.dialect === 'sqlserver') return 'dbo';
  return session.target.database ?? '';
}

function chooseColumns(all: DiscoveredColumn[], wanted: readonly string[] | undefined): DiscoveredColumn[] {
  if (!wanted || wanted.length === 0) return all;
  const byName = new Map(all.map((column) => [column.name, column]));
  return wanted.map((name, index) => {
    const column = byName.get(name);
    if (!column)
      throw new PreviewRequestError(
        'UNKNOWN_COLUMN',
        `the table has no column '${name}'`,
        `body.columns.${String(index)}`,
      );
    return column;
  });
}

/** One column's select expressions: its value (long ones cut at the source) and, for those, its whole length. */
function expressions(session: SqlSession, column: DiscoveredColumn): { value: string; length?: string } {
  const q = session.quote(column.name);
  const { dialect } = session;
  const cuttable = column.type === 'string' || column.type === 'json' || column.type === 'other';
  if (dialect === 'postgres') {
    const length = `octet_length(${q}::text)`;
    if (column.type === 'binary')
      return { value: `substring(${q} from 1 for ${MAX_VALUE_BYTES})`, length: `octet_length(${q})` };
    // to_json spells dates and timestamps in ISO-8601, whatever the server's DateStyle and the service's zone.
    if (column.type === 'date' || column.type === 'timestamp') return { value: `to_json(${q}) #>> '{}'` };
    if (cuttable) return { value: `left(${q}::text, ${TEXT_READ})`, length };
    return { value: q };
  }
  if (dialect === 'mysql') {
    if (column.type === 'binary')
      return { value: `SUBSTRING(${q}, 1, ${MAX_VALUE_BYTES})`, length: `OCTET_LENGTH(${q})` };
    // As text: mysql2 would turn DATETIME into a Date in this process's zone.
    if (column.type === 'date' || column.type === 'timestamp') return { value: `CAST(${q} AS CHAR)` };
    if (column.type === 'string' || column.type === 'json')
      return { value: `LEFT(${q}, ${TEXT_READ})`, length: `OCTET_LENGTH(${q})` };
    return { value: q };
  }
  if (column.type === 'binary') return { value: `SUBSTRING(${q}, 1, ${MAX_VALUE_BYTES})`, length: `DATALENGTH(${q})` };
  if (column.type === 'string') return { value: `LEFT(${q}, ${TEXT_READ})`, length: `DATALENGTH(${q})` };
  return { value: q };
}

function selectStatement(
  session: SqlSession,
  ref: { schema: string; name: string },
  columns: DiscoveredColumn[],
  limit: number,
  statementMs: number,
) {
  const list = columns
    .flatMap((column, i) => {
      const { value, length } = expressions(session, column);
      return [`${value} AS v${String(i)}`, ...(length ? [`${length} AS n${String(i)}`] : [])];
    })
    .join(', ');
  const from = `${session.quote(ref.schema)}.${session.quote(ref.name)}`;
  const limitAt = placeholder(session.dialect, 1);
  switch (session.dialect) {
    case 'postgres':
      return { text: `SELECT ${list} FROM ${from} LIMIT ${limitAt}`, params: [limit] };
    case 'mysql': {
      const select = `SELECT ${list} FROM ${from} LIMIT ${limitAt}`;
      // MariaDB counts seconds in SET STATEMENT; MySQL takes a hint in ms (SELECT only).
      const text = session.mariadb
        ? `SET STATEMENT max_statement_time = ${(statementMs / 1000).toFixed(3)} FOR ${select}`
        : `SELECT /*+ MAX_EXECUTION_TIME(${String(Math.round(statementMs))}) */ ${select.slice('SELECT '.length)}`;
      return { text, params: [limit] };
    }
    case 'sqlserver':
      return { text: `SELECT TOP (${limitAt}) ${list} FROM ${from}`, params: [limit] };
  }
}

/**
 * PostgreSQL: SET TRANSACTION READ ONLY and a local statement_timeout; MySQL:
 * START TRANSACTION READ ONLY (the timeout rides on the SELECT). SQL Server has no
 * read-only transaction: it runs the one SELECT, under the driver's request timeout.
 * Always rolled back.
 */
async function inReadOnlyTransaction<T>(session: SqlSession, statementMs: number, run: () => Promise<T>): Promise<T> {
  const exec = (text: string) => session.query({ text, params: [] });
  if (session.dialect === 'sqlserver') return run();
  if (session.dialect === 'postgres') {
    await exec('BEGIN');
    await exec('SET TRANSACTION READ ONLY');
    await exec(`SET LOCAL statement_timeout = ${String(Math.round(statementMs))}`);
  } else {
    await exec('START TRANSACTION READ ONLY');
  }
  try {
    return await run();
  } finally {
    await exec('ROLLBACK').catch(() => undefined);
  }
}
