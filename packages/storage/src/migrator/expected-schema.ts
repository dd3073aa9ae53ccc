// The schema at head, as data: what `migrate verify` and adoption compare the
// database with. It restates the migrations on purpose, as a second witness.

export interface ExpectedColumn {
  readonly name: string;
  /** As format_type() prints it. */
  readonly type: string;
  readonly notNull: boolean;
  /** As pg_get_expr() prints it, or null for none. */
  readonly default: string | null;
}

export interface ExpectedIndex {
  readonly name: string;
  readonly method: 'btree' | 'gin';
  readonly column: string;
  /** The migration that creates it: verify expects it only once that one is applied. */
  readonly since: string;
}

export interface ExpectedTable {
  readonly name: string;
  readonly primaryKey: string;
  readonly columns: readonly ExpectedColumn[];
  readonly indexes: readonly ExpectedIndex[];
}

const FIRST = '20251221_062048_add_persistent_storage_tables';
const GIN = '20251221_120000_add_jsonb_gin_indexes';

const key = (name: string): ExpectedColumn => ({ name, type: 'character varying(255)', notNull: true, default: null });
const document = (name: string): ExpectedColumn => ({ name, type: 'jsonb', notNull: true, default: null });
const timestamp = (name: string): ExpectedColumn => ({ name, type: 'timestamp with time zone', notNull: false, default: 'now()' });

export const expectedTables: readonly ExpectedTable[] = [
  {
    name: 'connector_profiles',
    primaryKey: 'id',
    columns: [key('id'), document('profile_data'), timestamp('created_at'), timestamp('updated_at')],
    indexes: [
      { name: 'ix_connector_profiles_created_at', method: 'btree', column: 'created_at', since: FIRST },
      { name: 'idx_connector_profiles_data', method: 'gin', column: 'profile_data', since: GIN },
    ],
  },
  {
    name: 'client_configs',
    primaryKey: 'client_id',
    columns: [key('client_id'), document('config_data'), timestamp('created_at'), timestamp('updated_at')],
    indexes: [
      { name: 'ix_client_configs_created_at', method: 'btree', column: 'created_at', since: FIRST },
      { name: 'idx_client_configs_data', method: 'gin', column: 'config_data', since: GIN },
    ],
  },
  {
    name: 'service_proposals',
    primaryKey: 'proposal_id',
    columns: [key('proposal_id'), document('proposal_data'), timestamp('created_at')],
    indexes: [
      { name: 'ix_service_proposals_created_at', method: 'btree', column: 'created_at', since: FIRST },
      { name: 'idx_service_proposals_data', method: 'gin', column: 'proposal_data', since: GIN },
    ],
  },
];
