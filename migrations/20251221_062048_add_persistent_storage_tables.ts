// The persistent-storage tables, exactly as the Alembic revision 20251221_062048
// created them (see the migration guide), plus a comment on every table and column.
// Frozen in time: it takes Kysely<any> and never imports application types.
import { sql, type Kysely } from 'kysely';

export const description = 'add persistent storage tables';

/** Table and column comments, shared with adoption of an Alembic-created database. */
export const comments = {
  connector_profiles: {
    table: 'Connection profiles for external data sources (Connector Service)',
    columns: {
      id: 'Profile identifier chosen by the client',
      profile_data:
        'Profile document: name, type, connection_string (encrypted), credentials, ' +
        'schema_info, test_status, last_tested',
      created_at: 'When the profile was created',
      updated_at: 'When the profile was last changed',
    },
  },
  client_configs: {
    table: 'Client-specific configurations (Demo Config Service)',
    columns: {
      client_id: 'Client identifier',
      config_data: 'Configuration document: client_name, license_type, modules, preferences, custom_kpis, data_sources',
      created_at: 'When the configuration was created',
      updated_at: 'When the configuration was last changed',
    },
  },
  service_proposals: {
    table: 'Generated service proposals and SOWs (Demo Config Service)',
    columns: {
      proposal_id: 'Proposal identifier',
      proposal_data: 'Proposal document: client_id, proposal_type, pricing, timeline, resources, status',
      created_at: 'When the proposal was created',
    },
  },
} as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE connector_profiles (
      id VARCHAR(255) PRIMARY KEY,
      profile_data JSONB NOT NULL,
      created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
      updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
    )`.execute(db);
  await sql`CREATE INDEX ix_connector_profiles_created_at ON connector_profiles(created_at)`.execute(db);

  await sql`
    CREATE TABLE client_configs (
      client_id VARCHAR(255) PRIMARY KEY,
      config_data JSONB NOT NULL,
      created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
      updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
    )`.execute(db);
  await sql`CREATE INDEX ix_client_configs_created_at ON client_configs(created_at)`.execute(db);

  await sql`
    CREATE TABLE service_proposals (
      proposal_id VARCHAR(255) PRIMARY KEY,
      proposal_data JSONB NOT NULL,
      created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
    )`.execute(db);
  await sql`CREATE INDEX ix_service_proposals_created_at ON service_proposals(created_at)`.execute(db);

  await addComments(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE service_proposals`.execute(db);
  await sql`DROP TABLE client_configs`.execute(db);
  await sql`DROP TABLE connector_profiles`.execute(db);
}

/** COMMENT ON is idempotent, so adoption may run it on tables Alembic created. */
export async function addComments(db: Kysely<any>): Promise<void> {
  for (const [table, spec] of Object.entries(comments)) {
    await sql`COMMENT ON TABLE ${sql.table(table)} IS ${sql.lit(spec.table)}`.execute(db);
    for (const [column, text] of Object.entries(spec.columns)) {
      await sql`COMMENT ON COLUMN ${sql.ref(`${table}.${column}`)} IS ${sql.lit(text)}`.execute(db);
    }
  }
}
