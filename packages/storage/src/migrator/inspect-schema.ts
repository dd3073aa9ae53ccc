// Reads the tables' actual structure from pg_catalog (works on PostgreSQL
// and PGlite alike) and lists how it differs from the expected schema.
import { sql, type Kysely } from 'kysely';
import { expectedTables, isDue, tablesDue, type ExpectedTable } from './expected-schema.js';

interface ColumnRow {
  table: string;
  column: string;
  type: string;
  not_null: boolean;
  default: string | null;
  comment: string | null;
}
interface TableRow {
  table: string;
  comment: string | null;
}
interface IndexRow {
  table: string;
  name: string;
  method: string;
  columns: string;
  primary: boolean;
}

export interface ActualSchema {
  tables: TableRow[];
  columns: ColumnRow[];
  indexes: IndexRow[];
}

const tableNames = sql.join(expectedTables.map((t) => sql.lit(t.name)));

export async function inspectSchema(db: Kysely<any>): Promise<ActualSchema> {
  const tables = await sql<TableRow>`
    select c.relname as table, obj_description(c.oid, 'pg_class') as comment
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind in ('r', 'p') and c.relname in (${tableNames})`.execute(db);
  const columns = await sql<ColumnRow>`
    select c.relname as table, a.attname as column, format_type(a.atttypid, a.atttypmod) as type,
           a.attnotnull as not_null, pg_get_expr(d.adbin, d.adrelid) as default, col_description(c.oid, a.attnum) as \
comment
    from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
    where n.nspname = current_schema() and c.relname in (${tableNames})
    order by c.relname, a.attnum`.execute(db);
  const indexes = await sql<IndexRow>`
    select t.relname as table, i.relname as name, am.amname as method, x.indisprimary as primary,
           -- A column's name, or (attnum 0) an expression as PostgreSQL writes it back.
           (select string_agg(case when k.attnum = 0 then pg_get_indexdef(x.indexrelid, k.ord::int, true)
                                   else a.attname end, ',' order by k.ord)
              from unnest(x.indkey) with ordinality as k(attnum, ord)
              left join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum) as columns
    from pg_index x
      join pg_class i on i.oid = x.indexrelid
      join pg_class t on t.oid = x.indrelid
      join pg_namespace n on n.oid = t.relnamespace
      join pg_am am on am.oid = i.relam
    where n.nspname = current_schema() and t.relname in (${tableNames})`.execute(db);
  return { tables: tables.rows, columns: columns.rows, indexes: indexes.rows };
}

export type Aspect = 'tables' | 'columns' | 'primary keys' | 'indexes' | 'comments' | 'secrets';

export interface Check {
  readonly aspect: Aspect;
  readonly subject: string;
  /** undefined when it matches; otherwise what differs. */
  readonly difference: string | undefined;
}

/** One check per table, column, key, index and comment; `applied` decides which indexes are due. */
export function compareSchema(actual: ActualSchema, applied: ReadonlySet<string>): Check[] {
  return tablesDue(applied).flatMap((table) => {
    if (!actual.tables.some((t) => t.table === table.name)) {
      return [{ aspect: 'tables', subject: table.name, difference: 'missing' } satisfies Check];
    }
    return [
      { aspect: 'tables', subject: table.name, difference: undefined } satisfies Check,
      ...compareColumns(table, actual, applied),
      comparePrimaryKey(table, actual, applied),
      ...compareIndexes(table, actual, applied),
      ...compareComments(table, actual, applied),
    ];
  });
}

/** The table's columns in the form the applied migrations give them. */
const columnsDue = (table: ExpectedTable, applied: ReadonlySet<string>) =>
  table.columns.filter((column) => isDue(column, applied));

function compareColumns(table: ExpectedTable, actual: ActualSchema, applied: ReadonlySet<string>): Check[] {
  const present = actual.columns.filter((c) => c.table === table.name);
  const columns = columnsDue(table, applied);
  const expected = columns.map((column): Check => {
    const found = present.find((c) => c.column === column.name);
    const subject = `${table.name}.${column.name}`;
    if (!found) return { aspect: 'columns', subject, difference: 'missing' };
    const diffs = [
      found.type !== column.type && `type is ${found.type}, expected ${column.type}`,
      found.not_null !== column.notNull &&
        (column.notNull ? 'is nullable, expected NOT NULL' : 'is NOT NULL, expected nullable'),
      found.default !== column.default && `default is ${found.default ?? 'none'}, expected ${column.default ?? 'none'}`,
    ].filter((d): d is string => typeof d === 'string');
    return { aspect: 'columns', subject, difference: diffs.length ? diffs.join('; ') : undefined };
  });
  const extra = present
    .filter((c) => !columns.some((e) => e.name === c.column))
    .map((c): Check => ({ aspect: 'columns', subject: `${table.name}.${c.column}`, difference: 'unexpected column' }));
  return [...expected, ...extra];
}

function comparePrimaryKey(table: ExpectedTable, actual: ActualSchema, applied: ReadonlySet<string>): Check {
  const former = table.formerPrimaryKey;
  const columns = former && isDue(former, applied) ? former.columns : table.primaryKey;
  const pk = actual.indexes.find((i) => i.table === table.name && i.primary);
  const difference = !pk ? 'missing' : pk.columns !== columns ? `is (${pk.columns}), expected (${columns})` : undefined;
  return { aspect: 'primary keys', subject: `${table.name} (${columns})`, difference };
}

function compareIndexes(table: ExpectedTable, actual: ActualSchema, applied: ReadonlySet<string>): Check[] {
  return table.indexes
    .filter((index) => isDue(index, applied))
    .map((index): Check => {
      const found = actual.indexes.find((i) => i.table === table.name && i.name === index.name);
      const difference = !found
        ? 'missing'
        : found.method !== index.method || found.columns !== index.column
          ? `is ${found.method} (${found.columns}), expected ${index.method} (${index.column})`
          : undefined;
      return { aspect: 'indexes', subject: `${index.name} ${index.method} (${index.column})`, difference };
    });
}

function compareComments(table: ExpectedTable, actual: ActualSchema, applied: ReadonlySet<string>): Check[] {
  const tableComment = actual.tables.find((t) => t.table === table.name)?.comment;
  return [
    { aspect: 'comments', subject: `table ${table.name}`, difference: tableComment ? undefined : 'no comment' },
    ...columnsDue(table, applied).map((column): Check => {
      const comment = actual.columns.find((c) => c.table === table.name && c.column === column.name)?.comment;
      return {
        aspect: 'comments',
        subject: `column ${table.name}.${column.name}`,
        difference: comment ? undefined : 'no comment',
      };
    }),
  ];
}
