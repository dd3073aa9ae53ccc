// The schema at head, as data: what `migrate verify` and adoption compare the
// database with. It restates the migrations on purpose, as a second witness.

export interface ExpectedColumn {
  readonly name: string;
  /** As format_type() prints it. */
  readonly type: string;
  readonly notNull: boolean;
  /** As pg_get_expr() prints it, or null for none. */
  readonly default: string | null;
  /** The migration that gives the column this form, if not its table's: expected only once applied. */
  readonly since?: string;
  /** The migration that changes it, if any: this form is expected only until that one is applied. */
  readonly until?: string;
}

export interface ExpectedIndex {
  readonly name: string;
  readonly method: 'btree' | 'gin' | 'brin';
  /** Its columns, comma-separated, an expression as pg_get_indexdef prints it. */
  readonly column: string;
  /** The migration that creates it: verify expects it only once that one is applied. */
  readonly since: string;
  /** The migration that replaces it, if any: expected only until that one is applied. */
  readonly until?: string;
}

export interface ExpectedTable {
  readonly name: string;
  /** The migration that creates it: expected only once that one is applied. */
  readonly since: string;
  /** Its columns, comma-separated. */
  readonly primaryKey: string;
  /** The key it had until a migration changed it, expected until that one is applied. */
  readonly formerPrimaryKey?: { readonly columns: string; readonly until: string };
  readonly columns: readonly ExpectedColumn[];
  readonly indexes: readonly ExpectedIndex[];
}

const FIRST = '20251221_062048_add_persistent_storage_tables';
const GIN = '20251221_120000_add_jsonb_gin_indexes';
const IDEMPOTENCY = '20261202_090000_add_idempotency_keys';
const CHANGES = '20261204_120000_add_event_outbox_and_audit_log';
const STATUS_INDEX = '20261204_180000_add_proposal_status_index';
const OUTBOX_BTREE = '20261207_090000_index_outbox_by_transaction';
const OUTBOX_BY_SERVICE = '20261207_150000_store_outbox_events_by_service';

const key = (name: string): ExpectedColumn => ({ name, type: 'character varying(255)', notNull: true, default: null });
const document = (name: string): ExpectedColumn => ({ name, type: 'jsonb', notNull: true, default: null });
const timestamp = (name: string): ExpectedColumn => ({
  name,
  type: 'timestamp with time zone',
  notNull: false,
  default: 'now()',
});
const column = (name: string, type: string, notNull: boolean, defaultValue: string | null = null): ExpectedColumn => ({
  name,
  type,
  notNull,
  default: defaultValue,
});

/** A BIGSERIAL column, as its sequence's default prints. */
const serial = (table: string, name: string) =>
  column(name, 'bigint', true, `nextval('${table}_${name}_seq'::regclass)`);

/** One of the guide's three tables: a key, a JSONB document, timestamps, a created_at and a GIN index. */
function guideTable(
  name: string,
  keyColumn: string,
  dataColumn: string,
  hasUpdatedAt: boolean,
  extraIndexes: readonly ExpectedIndex[] = [],
): ExpectedTable {
  return {
    name,
    since: FIRST,
    primaryKey: keyColumn,
    columns: [
      key(keyColumn),
      document(dataColumn),
      timestamp('created_at'),
      ...(hasUpdatedAt ? [timestamp('updated_at')] : []),
    ],
    indexes: [
      { name: `ix_${name}_created_at`, method: 'btree', column: 'created_at', since: FIRST },
      { name: `idx_${name}_data`, method: 'gin', column: dataColumn, since: GIN },
      ...extraIndexes,
    ],
  };
}

/** A column's or index's form is due: the migration giving it is applied, and none replacing it. */
export function isDue(item: { readonly since?: string; readonly until?: string }, applied: ReadonlySet<string>) {
  const given = item.since === undefined || applied.has(item.since);
  return given && !(item.until !== undefined && applied.has(item.until));
}

export const expectedTables: readonly ExpectedTable[] = [
  guideTable('connector_profiles', 'id', 'profile_data', true),
  guideTable('client_configs', 'client_id', 'config_data', true),
  guideTable('service_proposals', 'proposal_id', 'proposal_data', false, [
    {
      name: 'ix_service_proposals_status_created_at',
      method: 'btree',
      column: "(proposal_data ->> 'status'::text),created_at,proposal_id",
      since: STATUS_INDEX,
    },
  ]),
  {
    name: 'idempotency_keys',
    since: IDEMPOTENCY,
    primaryKey: 'key',
    columns: [
      column('key', 'character varying(64)', true),
      column('request_hash', 'character varying(64)', true),
      column('status_code', 'smallint', false),
      column('response_headers', 'jsonb', false),
      column('response_body', 'text', false),
      column('claimed_at', 'timestamp with time zone', true, 'now()'),
      column('created_at', 'timestamp with time zone', true, 'now()'),
    ],
    indexes: [{ name: 'ix_idempotency_keys_created_at', method: 'btree', column: 'created_at', since: IDEMPOTENCY }],
  },
  {
    name: 'event_outbox',
    since: CHANGES,
    primaryKey: 'service,position',
    formerPrimaryKey: { columns: 'position', until: OUTBOX_BY_SERVICE },
    columns: [
      serial('event_outbox', 'position'),
      column('txid', 'bigint', true, '((pg_current_xact_id())::text)::bigint'),
      column('id', 'uuid', true),
      column('service', 'character varying(64)', true),
      column('type', 'character varying(64)', true),
      column('aggregate_id', 'character varying(255)', true),
      { ...column('event', 'jsonb', true), until: OUTBOX_BY_SERVICE },
      { ...column('event', 'json', true), since: OUTBOX_BY_SERVICE },
      column('created_at', 'timestamp with time zone', true, 'now()'),
    ],
    indexes: [
      { name: 'ix_event_outbox_txid', method: 'brin', column: 'txid', since: CHANGES, until: OUTBOX_BTREE },
      { name: 'ix_event_outbox_txid', method: 'btree', column: 'txid', since: OUTBOX_BTREE, until: OUTBOX_BY_SERVICE },
      { name: 'ix_event_outbox_txid', method: 'btree', column: 'service,txid', since: OUTBOX_BY_SERVICE },
    ],
  },
  {
    name: 'event_relay_progress',
    since: CHANGES,
    primaryKey: 'service',
    columns: [
      column('service', 'character varying(64)', true),
      column('published_through', 'pg_snapshot', true),
      column('window_end', 'pg_snapshot', false),
      column('window_position', 'bigint', true, '0'),
    ],
    indexes: [],
  },
  {
    name: 'audit_log',
    since: CHANGES,
    primaryKey: 'id',
    columns: [
      serial('audit_log', 'id'),
      column('occurred_at', 'timestamp with time zone', true, 'now()'),
      column('service', 'character varying(64)', true),
      column('actor', 'character varying(255)', true),
      column('resource', 'character varying(64)', true),
      column('resource_id', 'character varying(255)', true),
      column('action', 'character varying(32)', true),
      column('changes', 'text[]', true),
      column('request_id', 'character varying(255)', false),
    ],
    indexes: [
      { name: 'ix_audit_log_resource_id', method: 'btree', column: 'resource_id', since: CHANGES },
      { name: 'ix_audit_log_occurred_at', method: 'btree', column: 'occurred_at', since: CHANGES },
    ],
  },
];

/** The guide's three tables (a key and a JSONB document each), created by the first migration. */
export const isGuideTable = (table: ExpectedTable): boolean => table.since === FIRST;

/** The guide's tables are always expected (verify names them missing); later ones once their migration is applied. */
export function tablesDue(applied: ReadonlySet<string>): readonly ExpectedTable[] {
  return expectedTables.filter((table) => isGuideTable(table) || applied.has(table.since));
}
