// The guide's optional GIN indexes on the JSONB documents. The list filters use
// containment (@>), which these default jsonb_ops indexes serve. IF NOT EXISTS:
// the guide told operators to create them by hand, with exactly these names.
import { sql, type Kysely } from 'kysely';

export const description = 'add jsonb gin indexes';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS idx_connector_profiles_data \
ON connector_profiles USING GIN (profile_data)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS idx_client_configs_data ON client_configs USING GIN (config_data)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS idx_service_proposals_data \
ON service_proposals USING GIN (proposal_data)`.execute(db);
  await sql`COMMENT ON INDEX idx_connector_profiles_data IS 'Serves JSONB containment filters on profile_data'`.execute(
    db,
  );
  await sql`COMMENT ON INDEX idx_client_configs_data IS 'Serves JSONB containment filters on config_data'`.execute(db);
  await sql`COMMENT ON INDEX idx_service_proposals_data IS 'Serves JSONB containment filters on proposal_data'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX idx_service_proposals_data`.execute(db);
  await sql`DROP INDEX idx_client_configs_data`.execute(db);
  await sql`DROP INDEX idx_connector_profiles_data`.execute(db);
}
