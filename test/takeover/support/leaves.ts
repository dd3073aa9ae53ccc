// "Every JSON leaf of every original row is reachable through the API": the
// test's own statement of the mapping table (docs/taking-over-a-python-database.md),
// written apart from the code that maps, as a second witness. A leaf is found at
// its own path, or under `legacy` at that path, or where a rename took it.
import type { LegacyRow } from './legacy-rows.js';

type Path = readonly (string | number)[];
type Json = Record<string, unknown>;

export interface Leaf {
  readonly path: Path;
  readonly value: unknown;
}

/** Scalars, and empty arrays and objects: what a document holds, member by member. */
export function leavesOf(value: unknown, path: Path = []): Leaf[] {
  if (Array.isArray(value) && value.length > 0) return value.flatMap((item, index) => leavesOf(item, [...path, index]));
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([name, item]) => leavesOf(item, [...path, name]));
  }
  return [{ path, value }];
}

export function at(value: unknown, path: Path): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const PYTHON_TYPES: Record<string, string> = {
  sql_postgres: 'sql',
  sql_mssql: 'sql',
  rest_api: 'api',
  excel_file: 'excel',
};
const PYTHON_ONLY = new Set(['host', 'port', 'database', 'username', 'password', 'api_url', 'file_path']);

/** Where the leaf is in the response, or why it may be absent; undefined when it is nowhere. */
export function findLeaf(
  table: 'profiles' | 'clients' | 'proposals',
  row: LegacyRow,
  leaf: Leaf,
  response: Json,
): string | undefined {
  const { path, value } = leaf;
  const [head, ...rest] = path;
  const keyName = { profiles: 'id', clients: 'client_id', proposals: 'proposal_id' }[table];
  const found = (where: Path, expected: unknown = value) =>
    equal(at(response, where), expected) ? where.join('.') : undefined;
  const plain = () => found(path) ?? found(['legacy', ...path]);
  if (path.length === 1 && (head === 'id' || head === keyName) && value === row.key) return found([keyName]);
  if (table === 'profiles') {
    if (typeof head === 'string' && PYTHON_ONLY.has(head) && value === null) return 'null: not set (dropped)';
    if (head === 'password')
      return at(response, ['secrets', 'password']) === 'set' || at(response, ['secrets', 'legacy_password']) === 'set'
        ? 'secrets'
        : undefined;
    if (equal(path, ['credentials', 'password']))
      return at(response, ['secrets', 'password']) === 'set' ? 'secrets.password' : undefined;
    if (head === 'connection_string')
      return at(response, ['secrets', 'connection_string']) === 'set' ? 'secrets.connection_string' : undefined;
    if (head === 'type' && typeof value === 'string' && PYTHON_TYPES[value])
      return found(['type'], PYTHON_TYPES[value]);
    const connection = at(response, ['connection_string']);
    if ((head === 'host' || head === 'port' || head === 'database') && typeof connection === 'string') {
      if (connection.includes(String(value)) || connection.includes(encodeURIComponent(String(value))))
        return 'connection_string';
    }
    if ((head === 'api_url' || head === 'file_path') && connection === value) return 'connection_string';
    if (head === 'username') return found(['credentials', 'username']) ?? plain();
  }
  if (table === 'proposals') {
    const renamed: Record<string, Path> = {
      estimated_cost: ['pricing', 'total'],
      estimated_hours: ['resources', 'hours'],
      timeline_weeks: ['timeline', 'weeks'],
    };
    if (typeof head === 'string' && renamed[head]) return found(renamed[head]) ?? plain();
    if (head === 'status' && value === 'signed') return found(['status'], 'accepted');
    if (head === 'breakdown' && rest[0] === 'phases')
      return found(['timeline', ...rest]) ?? found(['estimate', ...rest]);
    if (head === 'breakdown') return found(['estimate', ...rest]);
  }
  return plain();
}
