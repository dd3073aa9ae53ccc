// Reading discovered schema_info in assertions.
export interface DiscoveredColumnBody {
  name: string;
  source_type: string;
  type: string;
  nullable: boolean;
  primary_key: boolean;
}
export interface DiscoveredTableBody {
  schema?: string;
  name: string;
  kind: 'table' | 'view';
  row_estimate: number | null;
  columns: DiscoveredColumnBody[];
}
export interface SchemaInfoBody {
  tables: DiscoveredTableBody[];
  discovered_at?: string;
  changes?: Record<string, unknown>;
}

/** The tables without their columns and estimates: what a list of names asserts. */
export const tableList = (info: SchemaInfoBody) =>
  info.tables.map(({ schema, name, kind }) => (schema === undefined ? { name, kind } : { schema, name, kind }));

/** The columns of the table with this key ("schema.table" or a bare name); throws when it is missing. */
export function columnsOf(info: SchemaInfoBody, key: string): DiscoveredColumnBody[] {
  const table = info.tables.find((t) => (t.schema === undefined ? t.name : `${t.schema}.${t.name}`) === key);
  if (!table) throw new Error(`no table ${key} in ${info.tables.map((t) => t.name).join(', ')}`);
  return table.columns;
}

/** A column as discovery reports it: not null and not part of the key unless `flag` says otherwise. */
export const column = (
  name: string,
  source_type: string,
  type: string,
  flag?: 'nullable' | 'primary key',
): DiscoveredColumnBody => ({
  name,
  source_type,
  type,
  nullable: flag === 'nullable',
  primary_key: flag === 'primary key',
});

/** A table of an API or file source as discovery reports it (no schema; never a view). */
export const table = (name: string, row_estimate: number, columns: DiscoveredColumnBody[]): DiscoveredTableBody => ({
  name,
  kind: 'table',
  row_estimate,
  columns,
});
