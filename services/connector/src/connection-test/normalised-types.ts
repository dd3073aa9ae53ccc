// The normalised column types every source maps to, so the platform reads one
// vocabulary whatever the source: the driver's own name stays in source_type.
import type { SqlDialect } from './sql-connection-string.js';

export const normalisedTypes = [
  'string',
  'integer',
  'number',
  'boolean',
  'date',
  'timestamp',
  'json',
  'binary',
  'other',
] as const;
export type NormalisedType = (typeof normalisedTypes)[number];

const byName = (entries: Record<NormalisedType, readonly string[]>): ReadonlyMap<string, NormalisedType> =>
  new Map(
    Object.entries(entries).flatMap(([type, names]) => names.map((name) => [name, type as NormalisedType] as const)),
  );

// information_schema.columns.data_type (PostgreSQL: udt_name for USER-DEFINED and ARRAY), lower-cased.
const SQL_TYPES: Record<SqlDialect, ReadonlyMap<string, NormalisedType>> = {
  postgres: byName({
    string: ['character varying', 'character', 'text', 'name', 'uuid', 'citext', 'bpchar', 'varchar'],
    integer: ['smallint', 'integer', 'bigint', 'int2', 'int4', 'int8'],
    number: ['numeric', 'real', 'double precision', 'money', 'float4', 'float8'],
    boolean: ['boolean', 'bool'],
    date: ['date'],
    timestamp: ['timestamp without time zone', 'timestamp with time zone', 'timestamp', 'timestamptz'],
    json: ['json', 'jsonb'],
    binary: ['bytea'],
    other: [],
  }),
  mysql: byName({
    string: ['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set', 'uuid', 'inet4', 'inet6'],
    integer: ['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint', 'year'],
    number: ['decimal', 'numeric', 'float', 'double', 'double precision', 'real'],
    boolean: ['boolean', 'bool'],
    date: ['date'],
    timestamp: ['datetime', 'timestamp'],
    json: ['json'],
    binary: ['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob', 'bit'],
    other: [],
  }),
  sqlserver: byName({
    string: ['char', 'varchar', 'nchar', 'nvarchar', 'text', 'ntext', 'uniqueidentifier', 'sysname'],
    integer: ['tinyint', 'smallint', 'int', 'bigint'],
    number: ['decimal', 'numeric', 'float', 'real', 'money', 'smallmoney'],
    boolean: ['bit'],
    date: ['date'],
    timestamp: ['datetime', 'datetime2', 'smalldatetime', 'datetimeoffset'],
    json: [],
    binary: ['binary', 'varbinary', 'image', 'timestamp', 'rowversion'],
    other: [],
  }),
};

/**
 * The normalised type of a SQL column. `columnType` is MySQL's COLUMN_TYPE:
 * tinyint(1) is how MySQL spells BOOLEAN.
 */
export function normaliseSqlType(dialect: SqlDialect, sourceType: string, columnType?: string): NormalisedType {
  const name = sourceType.trim().toLowerCase();
  if (dialect === 'mysql' && name === 'tinyint' && /^tinyint\(1\)/i.test(columnType ?? '')) return 'boolean';
  if (dialect === 'mysql' && name === 'bit' && /^bit\(1\)$/i.test(columnType ?? '')) return 'boolean';
  return SQL_TYPES[dialect].get(name) ?? 'other';
}
