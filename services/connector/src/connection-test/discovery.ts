// What discovery produces, and SQL discovery: information_schema queries bounded
// by schema patterns and a table count, then per table its columns (normalised
// types), primary key and row estimate. Every name travels as a bound value.
import { normaliseSqlType, type NormalisedType } from './normalised-types.js';
import type { SqlDialect } from './sql-connection-string.js';

export interface DiscoveryOptions {
  /** Schema names or globs (`*` any run, `?` one character); empty = every non-system schema. */
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly maxTables: number;
}

export interface DiscoveredColumn {
  readonly name: string;
  /** The source's own name of the type (information_schema's data_type, or the inferred type of a file or API). */
  readonly source_type: string;
  readonly type: NormalisedType;
  readonly nullable: boolean;
  /** True for every column of the primary key. */
  readonly primary_key: boolean;
}

export interface DiscoveredTable {
  /** Absent for files and APIs, which have no schemas. */
  readonly schema?: string;
  readonly name: string;
  readonly kind: 'table' | 'view';
  /** The source's estimate (pg_class.reltuples, TABLE_ROWS, a sheet's rows); null when it has none. */
  readonly row_estimate: number | null;
  readonly columns: DiscoveredColumn[];
}

/** schema_info as discovery stores it (the route adds discovered_at and changes). */
export interface SchemaInfo {
  tables: DiscoveredTable[];
}

export interface Discovery {
  readonly schemaInfo: SchemaInfo;
  /** More tables matched than max_tables allowed. */
  readonly truncated: boolean;
}

/** "schema.table", or the table name alone when the source has no schemas: how selected_tables names a table. */
export const tableKey = (table: { readonly schema?: string | undefined; readonly name: string }): string =>
  table.schema === undefined ? table.name : `${table.schema}.${table.name}`;

const SYSTEM_SCHEMAS: Record<SqlDialect, { names: string[]; prefixes: string[] }> = {
  postgres: { names: ['pg_catalog', 'information_schema'], prefixes: ['pg_toast', 'pg_temp_'] },
  mysql: { names: ['information_schema', 'mysql', 'performance_schema', 'sys'], prefixes: [] },
  sqlserver: { names: ['INFORMATION_SCHEMA', 'sys', 'guest'], prefixes: ['db_'] },
};

export interface SqlQuery {
  readonly text: string;
  readonly params: (string | number)[];
}

export type RunQuery = (statement: SqlQuery) => Promise<Record<string, unknown>[]>;

/** `*` -> %, `?` -> _, LIKE's own wildcards (and SQL Server's [) escaped with '!'. */
function globToLike(pattern: string): string {
  return pattern
    .replace(/[!%_[]/g, (c) => `!${c}`)
    .replace(/\*/g, '%')
    .replace(/\?/g, '_');
}

export function placeholder(dialect: SqlDialect, index: number): string {
  if (dialect === 'postgres') return `$${index}`;
  if (dialect === 'sqlserver') return `@p${index}`;
  return '?';
}

/** A statement under construction: bind() adds a value and returns its placeholder. */
function binder(dialect: SqlDialect) {
  const params: (string | number)[] = [];
  return {
    params,
    bind: (value: string | number): string => {
      params.push(value);
      return placeholder(dialect, params.length);
    },
  };
}

/**
 * Tables and views of the non-system schemas that match the patterns, at most maxTables + 1 rows (to tell truncation).
 */
function tablesQuery(dialect: SqlDialect, options: DiscoveryOptions): SqlQuery {
  const { params, bind } = binder(dialect);
  const system = SYSTEM_SCHEMAS[dialect];
  const conditions = [
    `table_schema NOT IN (${system.names.map((name) => `'${name}'`).join(', ')})`,
    ...system.prefixes.map((prefix) => `table_schema NOT LIKE '${globToLike(prefix)}%' ESCAPE '!'`),
  ];
  if (options.include.length)
    conditions.push(
      `(${options.include.map((p) => `table_schema LIKE ${bind(globToLike(p))} ESCAPE '!'`).join(' OR ')})`,
    );
  for (const pattern of options.exclude)
    conditions.push(`table_schema NOT LIKE ${bind(globToLike(pattern))} ESCAPE '!'`);
  const limit = options.maxTables + 1;
  const top = dialect === 'sqlserver' ? `TOP (${limit}) ` : '';
  const tail = dialect === 'sqlserver' ? '' : ` LIMIT ${limit}`;
  // MySQL keeps its estimate beside the table (InnoDB's is sampled); the others are read per table below.
  const rows = dialect === 'mysql' ? ', table_rows AS r' : '';
  return {
    text:
      `SELECT ${top}table_schema AS s, table_name AS t, table_type AS k${rows} FROM information_schema.tables ` +
      `WHERE ${conditions.join(' AND ')} ORDER BY table_schema, table_name${tail}`,
    params,
  };
}

type TableRef = { readonly schema?: string | undefined; readonly name: string };

/** `(schemaColumn = ? AND tableColumn = ?) OR ...` for the tables, every name bound. */
function tablePairs(
  bind: (value: string) => string,
  tables: readonly TableRef[],
  schemaColumn: string,
  tableColumn: string,
) {
  return tables
    .map((t) => `(${schemaColumn} = ${bind(t.schema ?? '')} AND ${tableColumn} = ${bind(t.name)})`)
    .join(' OR ');
}

function columnsQuery(dialect: SqlDialect, tables: readonly TableRef[]): SqlQuery {
  const { params, bind } = binder(dialect);
  // PostgreSQL says USER-DEFINED / ARRAY in data_type and the real name in udt_name; MySQL's column_type has
  // tinyint(1).
  const extra = dialect === 'postgres' ? ', udt_name AS u' : dialect === 'mysql' ? ', column_type AS u' : '';
  return {
    text:
      `SELECT table_schema AS s, table_name AS t, column_name AS c, data_type AS d, is_nullable AS n${extra} ` +
      `FROM information_schema.columns WHERE ${tablePairs(bind, tables, 'table_schema', 'table_name')} ` +
      'ORDER BY table_schema, table_name, ordinal_position',
    params,
  };
}

function primaryKeyQuery(dialect: SqlDialect, tables: readonly TableRef[]): SqlQuery {
  const { params, bind } = binder(dialect);
  return {
    text:
      'SELECT k.table_schema AS s, k.table_name AS t, k.column_name AS c FROM information_schema.table_constraints p ' +
      'JOIN information_schema.key_column_usage k ON k.constraint_schema = p.constraint_schema ' +
      'AND k.constraint_name = p.constraint_name AND k.table_schema = p.table_schema AND k.table_name = p.table_name ' +
      `WHERE p.constraint_type = 'PRIMARY KEY' AND (${tablePairs(bind, tables, 'p.table_schema', 'p.table_name')})`,
    params,
  };
}

function rowEstimateQuery(dialect: SqlDialect, tables: readonly TableRef[]): SqlQuery | undefined {
  const { params, bind } = binder(dialect);
  if (dialect === 'postgres') {
    // reltuples is -1 on PostgreSQL 14+ for a table never analysed or vacuumed: no estimate.
    return {
      text:
        'SELECT n.nspname AS s, c.relname AS t, c.reltuples AS r FROM pg_catalog.pg_class c ' +
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'm', 'f') " +
        `AND (${tablePairs(bind, tables, 'n.nspname', 'c.relname')})`,
      params,
    };
  }
  if (dialect === 'sqlserver') {
    return {
      text:
        'SELECT s.name AS s, o.name AS t, SUM(p.rows) AS r FROM sys.objects o JOIN sys.schemas s ON s.schema_id = ' +
        'o.schema_id ' +
        "JOIN sys.partitions p ON p.object_id = o.object_id AND p.index_id IN (0, 1) WHERE o.type = 'U' " +
        `AND (${tablePairs(bind, tables, 's.name', 'o.name')}) GROUP BY s.name, o.name`,
      params,
    };
  }
  return undefined;
}

/** MariaDB's JSON is LONGTEXT with a json_valid() check named after the column: found here, or nothing. */
function mariaJsonQuery(tables: readonly TableRef[]): SqlQuery {
  const { params, bind } = binder('mysql');
  return {
    text:
      'SELECT constraint_schema AS s, table_name AS t, constraint_name AS c, check_clause AS k ' +
      `FROM information_schema.check_constraints WHERE ${tablePairs(bind, tables, 'constraint_schema', 'table_name')}`,
    params,
  };
}

export const text = (value: unknown): string =>
  typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : String(value);

function estimate(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const count = Number(typeof value === 'bigint' ? value.toString() : value);
  return Number.isFinite(count) && count >= 0 ? Math.round(count) : null;
}

/** Columns, primary keys and row estimates of known tables, keyed by tableKey. */
export async function describeSqlTables(
  dialect: SqlDialect,
  tables: readonly TableRef[],
  query: RunQuery,
): Promise<Map<string, { columns: DiscoveredColumn[]; rowEstimate: number | null | undefined }>> {
  const described = new Map<string, { columns: DiscoveredColumn[]; rowEstimate: number | null | undefined }>();
  if (tables.length === 0) return described;
  for (const table of tables) described.set(tableKey(table), { columns: [], rowEstimate: undefined });
  const keyOf = (row: Record<string, unknown>) => tableKey({ schema: text(row.s), name: text(row.t) });
  const primary = new Set(
    (await query(primaryKeyQuery(dialect, tables))).map((row) => `${keyOf(row)}\u0000${text(row.c)}`),
  );
  const json = new Set<string>();
  if (dialect === 'mysql') {
    // Only MariaDB has check_constraints.table_name; elsewhere the query fails and there is no alias to find.
    const checks = await query(mariaJsonQuery(tables)).catch(() => []);
    for (const row of checks)
      if (/^json_valid\(`[^`]+`\)$/i.test(text(row.k))) json.add(`${keyOf(row)}\u0000${text(row.c)}`);
  }
  for (const row of await query(columnsQuery(dialect, tables))) {
    const entry = described.get(keyOf(row));
    if (!entry) continue;
    const name = text(row.c);
    const id = `${keyOf(row)}\u0000${name}`;
    const dataType = text(row.d);
    const udt = row.u === undefined || row.u === null ? undefined : text(row.u);
    let sourceType =
      dialect === 'postgres' && (dataType === 'USER-DEFINED' || dataType === 'ARRAY') && udt ? udt : dataType;
    if (json.has(id)) sourceType = 'json';
    entry.columns.push({
      name,
      source_type: sourceType,
      type: dataType === 'ARRAY' ? 'other' : normaliseSqlType(dialect, sourceType, udt),
      nullable: /^yes$/i.test(text(row.n)),
      primary_key: primary.has(id),
    });
  }
  const estimates = rowEstimateQuery(dialect, tables);
  if (estimates) {
    for (const row of await query(estimates)) {
      const entry = described.get(keyOf(row));
      if (entry) entry.rowEstimate = estimate(row.r);
    }
  }
  return described;
}

/** Tables in schema, name order, each with its columns, primary key and row estimate. */
export async function discoverSql(dialect: SqlDialect, options: DiscoveryOptions, query: RunQuery): Promise<Discovery> {
  const rows = await query(tablesQuery(dialect, options));
  const listed = rows.slice(0, options.maxTables).map((row) => ({
    schema: text(row.s),
    name: text(row.t),
    kind: /view/i.test(text(row.k)) ? ('view' as const) : ('table' as const),
    mysqlRows: dialect === 'mysql' && !/view/i.test(text(row.k)) ? estimate(row.r) : null,
  }));
  const described = await describeSqlTables(dialect, listed, query);
  const tables = listed.map(({ mysqlRows, ...table }): DiscoveredTable => {
    const found = described.get(tableKey(table));
    const rowEstimate = table.kind === 'view' ? null : dialect === 'mysql' ? mysqlRows : (found?.rowEstimate ?? null);
    return { ...table, row_estimate: rowEstimate, columns: found?.columns ?? [] };
  });
  return { schemaInfo: { tables }, truncated: rows.length > options.maxTables };
}
