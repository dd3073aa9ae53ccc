// What discovery produces, and the pieces the sources share: information_schema
// queries bounded by schema patterns and a table count, and column type inference
// for files and JSON.
import type { SqlDialect } from './sql-connection-string.js';

export interface DiscoveryOptions {
  /** Schema names or globs (`*` any run, `?` one character); empty = every non-system schema. */
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly maxTables: number;
}

export interface DiscoveredTable {
  /** Absent for files and APIs, which have no schemas. */
  readonly schema?: string;
  readonly name: string;
  readonly type?: 'table' | 'view';
}

export interface DiscoveredColumn {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
}

/** schema_info as stored: columns keyed by "schema.table" (or the table name alone when there is no schema). */
export interface SchemaInfo {
  tables: DiscoveredTable[];
  columns: Record<string, DiscoveredColumn[]>;
}

export interface Discovery {
  readonly schemaInfo: SchemaInfo;
  /** More tables matched than max_tables allowed. */
  readonly truncated: boolean;
}

const tableKey = (table: { schema?: string | undefined; name: string }) => (table.schema === undefined ? table.name : `${table.schema}.${table.name}`);

const SYSTEM_SCHEMAS: Record<SqlDialect, { names: string[]; prefixes: string[] }> = {
  postgres: { names: ['pg_catalog', 'information_schema'], prefixes: ['pg_toast', 'pg_temp_'] },
  mysql: { names: ['information_schema', 'mysql', 'performance_schema', 'sys'], prefixes: [] },
  sqlserver: { names: ['INFORMATION_SCHEMA', 'sys', 'guest'], prefixes: ['db_'] },
};

export interface SqlQuery {
  readonly text: string;
  readonly params: string[];
}

/** `*` -> %, `?` -> _, LIKE's own wildcards (and SQL Server's [) escaped with '!'. */
function globToLike(pattern: string): string {
  return pattern.replace(/[!%_[]/g, (c) => `!${c}`).replace(/\*/g, '%').replace(/\?/g, '_');
}

function placeholder(dialect: SqlDialect, index: number): string {
  if (dialect === 'postgres') return `$${index}`;
  if (dialect === 'sqlserver') return `@p${index}`;
  return '?';
}

/** Tables and views of the non-system schemas that match the patterns, at most maxTables + 1 rows (to tell truncation). */
function tablesQuery(dialect: SqlDialect, options: DiscoveryOptions): SqlQuery {
  const params: string[] = [];
  const bind = (value: string) => {
    params.push(value);
    return placeholder(dialect, params.length);
  };
  const system = SYSTEM_SCHEMAS[dialect];
  const conditions = [
    `table_schema NOT IN (${system.names.map((name) => `'${name}'`).join(', ')})`,
    ...system.prefixes.map((prefix) => `table_schema NOT LIKE '${globToLike(prefix)}%' ESCAPE '!'`),
  ];
  if (options.include.length) conditions.push(`(${options.include.map((p) => `table_schema LIKE ${bind(globToLike(p))} ESCAPE '!'`).join(' OR ')})`);
  for (const pattern of options.exclude) conditions.push(`table_schema NOT LIKE ${bind(globToLike(pattern))} ESCAPE '!'`);
  const limit = options.maxTables + 1;
  const top = dialect === 'sqlserver' ? `TOP (${limit}) ` : '';
  const tail = dialect === 'sqlserver' ? '' : ` LIMIT ${limit}`;
  return {
    text: `SELECT ${top}table_schema AS s, table_name AS t, table_type AS k FROM information_schema.tables WHERE ${conditions.join(' AND ')} ORDER BY table_schema, table_name${tail}`,
    params,
  };
}

function columnsQuery(dialect: SqlDialect, tables: readonly DiscoveredTable[]): SqlQuery {
  const params: string[] = [];
  const bind = (value: string) => {
    params.push(value);
    return placeholder(dialect, params.length);
  };
  const pairs = tables.map((table) => `(table_schema = ${bind(table.schema ?? '')} AND table_name = ${bind(table.name)})`);
  return {
    text: `SELECT table_schema AS s, table_name AS t, column_name AS c, data_type AS d, is_nullable AS n FROM information_schema.columns WHERE ${pairs.join(' OR ')} ORDER BY table_schema, table_name, ordinal_position`,
    params,
  };
}

/** Runs both queries through a dialect's `query` and builds schema_info. */
export async function discoverSql(
  dialect: SqlDialect,
  options: DiscoveryOptions,
  query: (statement: SqlQuery) => Promise<Record<string, unknown>[]>,
): Promise<Discovery> {
  const rows = await query(tablesQuery(dialect, options));
  const text = (value: unknown) => (typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : String(value));
  const tables: DiscoveredTable[] = rows.slice(0, options.maxTables).map((row) => ({
    schema: text(row.s),
    name: text(row.t),
    type: /view/i.test(text(row.k)) ? 'view' : 'table',
  }));
  const columns: Record<string, DiscoveredColumn[]> = {};
  for (const table of tables) columns[tableKey(table)] = [];
  if (tables.length) {
    for (const row of await query(columnsQuery(dialect, tables))) {
      columns[tableKey({ schema: text(row.s), name: text(row.t) })]?.push({ name: text(row.c), type: text(row.d), nullable: /^yes$/i.test(text(row.n)) });
    }
  }
  return { schemaInfo: { tables, columns }, truncated: rows.length > options.maxTables };
}

export type InferredType = 'integer' | 'number' | 'boolean' | 'date' | 'string' | 'object' | 'array';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** The type of one value, or undefined for an empty one (null, undefined, ''). */
function typeOfValue(value: unknown): InferredType | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (value instanceof Date) return 'date';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'bigint') return 'integer';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (/^[+-]?\d+$/.test(trimmed)) return 'integer';
    if (/^[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:e[+-]?\d+)?$/i.test(trimmed)) return 'number';
    if (/^(?:true|false)$/i.test(trimmed)) return 'boolean';
    if (ISO_DATE.test(trimmed) && !Number.isNaN(Date.parse(trimmed))) return 'date';
    return 'string';
  }
  return 'object';
}

/** Accumulates one column's values: the narrowest type that holds all of them, and whether any is empty. */
export class ColumnInference {
  private type: InferredType | undefined;
  private empty = false;

  add(value: unknown): void {
    const next = typeOfValue(value);
    if (next === undefined) {
      this.empty = true;
      return;
    }
    if (this.type === undefined || this.type === next) this.type = next;
    else if ((this.type === 'integer' && next === 'number') || (this.type === 'number' && next === 'integer')) this.type = 'number';
    else this.type = 'string';
  }

  markMissing(): void {
    this.empty = true;
  }

  result(name: string): DiscoveredColumn {
    return { name, type: this.type ?? 'string', nullable: this.empty || this.type === undefined };
  }
}
