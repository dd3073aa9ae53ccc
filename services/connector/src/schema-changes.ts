// What changed between two discoveries, and which selected tables are gone: a
// pure comparison. The previous schema_info may be of any shape a row holds
// (this service's tables with columns, the earlier {tables, columns} map, the
// Python Connector's [{name, columns: [{name, data_type}]}], or table names), so
// it is read leniently: what cannot be read counts as not there.
import type { JsonObject } from '@analytics-engine/storage';
import { tableKey, type SchemaInfo } from './connection-test/discovery.js';

export interface ColumnRef {
  table: string;
  column: string;
}

export interface SchemaChanges {
  /** discovered_at of the discovery compared with; null when there was none. */
  since: string | null;
  tables_added: string[];
  tables_removed: string[];
  columns_added: ColumnRef[];
  columns_removed: ColumnRef[];
  columns_retyped: (ColumnRef & { from: string; to: string })[];
  /** selected_tables entries the new discovery does not hold (kept on the profile, not removed). */
  selected_tables_missing: string[];
}

/** Table key -> column name -> its source type ('' when unknown); undefined when the info names no tables. */
type Known = Map<string, Map<string, string>>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function columnsOf(list: unknown): Map<string, string> {
  const columns = new Map<string, string>();
  if (!Array.isArray(list)) return columns;
  for (const column of list) {
    if (typeof column === 'string') columns.set(column, '');
    else if (isObject(column) && typeof column.name === 'string')
      columns.set(column.name, str(column.source_type) ?? str(column.data_type) ?? str(column.type) ?? '');
  }
  return columns;
}

/** The tables (and their columns) a stored schema_info names, whatever its shape. */
export function knownTables(info: unknown): Known | undefined {
  const tables = Array.isArray(info) ? info : isObject(info) ? info.tables : undefined;
  if (!Array.isArray(tables)) return undefined;
  const legacyColumns = isObject(info) && isObject(info.columns) ? info.columns : {};
  const known: Known = new Map();
  for (const table of tables) {
    if (typeof table === 'string') known.set(table, columnsOf(legacyColumns[table]));
    else if (isObject(table) && typeof table.name === 'string') {
      const key = tableKey({ schema: str(table.schema), name: table.name });
      known.set(key, columnsOf(Array.isArray(table.columns) ? table.columns : legacyColumns[key]));
    }
  }
  return known;
}

/** The selected tables a schema_info does not hold; none when it names no tables (nothing to check against). */
export function unknownTables(selected: readonly string[], info: unknown): string[] {
  const known = knownTables(info);
  return known === undefined ? [] : selected.filter((entry) => !known.has(entry));
}

export function schemaChanges(
  previous: unknown,
  next: SchemaInfo,
  selected: readonly string[] | null | undefined,
): SchemaChanges {
  const before = knownTables(previous) ?? new Map<string, Map<string, string>>();
  const after: Known = new Map(
    next.tables.map((table) => [tableKey(table), new Map(table.columns.map((c) => [c.name, c.source_type]))]),
  );
  const changes: SchemaChanges = {
    since: isObject(previous) ? (str(previous.discovered_at) ?? null) : null,
    tables_added: [...after.keys()].filter((key) => !before.has(key)),
    tables_removed: [...before.keys()].filter((key) => !after.has(key)),
    columns_added: [],
    columns_removed: [],
    columns_retyped: [],
    selected_tables_missing: (selected ?? []).filter((entry) => !after.has(entry)),
  };
  for (const [table, columns] of after) {
    const old = before.get(table);
    if (!old) continue;
    for (const [column, type] of columns) {
      const was = old.get(column);
      if (was === undefined) changes.columns_added.push({ table, column });
      // A type the old shape did not record ('') is not a change.
      else if (was !== '' && was !== type) changes.columns_retyped.push({ table, column, from: was, to: type });
    }
    for (const column of old.keys()) if (!columns.has(column)) changes.columns_removed.push({ table, column });
  }
  return changes;
}
