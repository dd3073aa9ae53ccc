-- The guide's detailed verification, for psql:
--   docker-compose exec timescaledb psql -U postgres -d analytics_engine -f /app/scripts/verify_tables.sql
--   psql "$DATABASE_URL" -f scripts/sql/verify_tables.sql
-- It changes nothing: the round trip is rolled back. `pnpm migrate verify` runs
-- the same checks and also fails (exit 1) on any difference.
\set ON_ERROR_STOP on

\echo '== Tables'
SELECT table_name FROM information_schema.tables
WHERE table_schema = 'public' AND table_name IN ('connector_profiles', 'client_configs', 'service_proposals')
ORDER BY table_name;

\echo '== Table structures'
\d connector_profiles
\d client_configs
\d service_proposals

\echo '== Indexes'
SELECT tablename, indexname, indexdef FROM pg_indexes
WHERE tablename IN ('connector_profiles', 'client_configs', 'service_proposals')
ORDER BY tablename, indexname;

\echo '== Table and column comments'
SELECT c.relname AS table_name, NULL AS column_name, obj_description(c.oid, 'pg_class') AS comment
FROM pg_class c WHERE c.relname IN ('connector_profiles', 'client_configs', 'service_proposals')
UNION ALL
SELECT c.relname, a.attname, col_description(c.oid, a.attnum)
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relname IN ('connector_profiles', 'client_configs', 'service_proposals')
ORDER BY 1, 2 NULLS FIRST;

\echo '== Insert/select round trip (rolled back)'
BEGIN;
INSERT INTO connector_profiles (id, profile_data) VALUES ('__verify__', '{"name": "verify", "type": "sql"}');
INSERT INTO client_configs (client_id, config_data) VALUES ('__verify__', '{"client_name": "verify", "license_type": "basic"}');
INSERT INTO service_proposals (proposal_id, proposal_data) VALUES ('__verify__', '{"client_id": "__verify__", "proposal_type": "consulting", "status": "draft"}');
SELECT 'connector_profiles' AS table_name, profile_data AS document, created_at IS NOT NULL AS has_created_at FROM connector_profiles WHERE id = '__verify__'
UNION ALL SELECT 'client_configs', config_data, created_at IS NOT NULL FROM client_configs WHERE client_id = '__verify__'
UNION ALL SELECT 'service_proposals', proposal_data, created_at IS NOT NULL FROM service_proposals WHERE proposal_id = '__verify__';
ROLLBACK;

\echo '== Row counts'
SELECT 'connector_profiles' AS table_name, count(*) AS row_count FROM connector_profiles
UNION ALL SELECT 'client_configs', count(*) FROM client_configs
UNION ALL SELECT 'service_proposals', count(*) FROM service_proposals;
