// A database as the Python stack leaves it at each revision of its shared Alembic
// chain (../shared/reference/upstream-python-stack.md): the guide's three tables
// exactly as its revision 20251221_062048 made them (no comments), then the other
// services' tables each later revision adds, all filled with rows. None of it is
// ours except the three tables; the tests check the rest is never touched.
import type pg from 'pg';

export const CHAIN = ['20251221_062048', '20251228_153000', '20251229_153900', '20260201_113600'] as const;
export type Revision = (typeof CHAIN)[number];

/** Every table a fixture holds that is not ours (alembic_version included), at `revision`. */
export function foreignTables(revision: Revision): string[] {
  const upTo = CHAIN.indexOf(revision);
  return [
    'alembic_version',
    'metadata_entities',
    'metadata_relationships',
    ...(upTo >= 1
      ? ['client_configurations', 'client_recordings', 'client_intents', 'client_entities', 'client_value_chain_models']
      : []),
    ...(upTo >= 3
      ? [
          'kpi_correlations',
          'simulation_events',
          'what_if_predictions',
          'process_definitions',
          'process_scenarios',
          'simulation_runs',
          'ml_model_registry',
        ]
      : []),
  ].sort();
}

/** The guide's DDL as Alembic ran it, and the Alembic bookkeeping. */
const GUIDE_TABLES = `
  CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY \
(version_num));
  CREATE TABLE connector_profiles (id VARCHAR(255) PRIMARY KEY, profile_data JSONB NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(), updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW());
  CREATE INDEX ix_connector_profiles_created_at ON connector_profiles(created_at);
  CREATE TABLE client_configs (client_id VARCHAR(255) PRIMARY KEY, config_data JSONB NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(), updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW());
  CREATE INDEX ix_client_configs_created_at ON client_configs(created_at);
  CREATE TABLE service_proposals (proposal_id VARCHAR(255) PRIMARY KEY, proposal_data JSONB NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW());
  CREATE INDEX ix_service_proposals_created_at ON service_proposals(created_at);`;

/** Another service's tables that predate the chain (its own create_all): the later revisions alter them. */
const METADATA_TABLES = `
  CREATE TABLE metadata_entities (id SERIAL PRIMARY KEY, uuid UUID NOT NULL UNIQUE, name TEXT NOT NULL, attributes \
JSONB,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW());
  CREATE TABLE metadata_relationships (id SERIAL PRIMARY KEY, source_id INTEGER REFERENCES metadata_entities(id),
    target_id INTEGER REFERENCES metadata_entities(id), kind VARCHAR(64) NOT NULL, weight DOUBLE PRECISION);
  INSERT INTO metadata_entities (uuid, name, attributes, created_at) VALUES
    ('6f1c2a3e-0000-4000-8000-000000000001', 'Customer', '{"source": "erp", "pii": true}', '2025-12-01T08:00:00Z'),
    ('6f1c2a3e-0000-4000-8000-000000000002', 'Order', '{"source": "erp"}', '2025-12-01T08:00:01Z'),
    ('6f1c2a3e-0000-4000-8000-000000000003', 'Invoice', NULL, '2025-12-01T08:00:02Z');
  INSERT INTO metadata_relationships (source_id, target_id, kind, weight) VALUES (1, 2, 'places', 0.9), (2, 3, \
'billed_by', 1.0);`;

const REVISION_DDL: Record<Revision, string> = {
  '20251221_062048': '',
  '20251228_153000': `
    CREATE TABLE client_configurations (id UUID PRIMARY KEY, client_id VARCHAR(255) NOT NULL, settings JSONB NOT NULL \
DEFAULT '{}',
      created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT NOW());
    CREATE INDEX ix_client_configurations_client_id ON client_configurations (client_id);
    CREATE TABLE client_recordings (id BIGSERIAL PRIMARY KEY, client_id VARCHAR(255) NOT NULL, recorded_at \
TIMESTAMPTZ NOT NULL,
      payload JSONB, duration_ms INTEGER);
    CREATE TABLE client_intents (id SERIAL PRIMARY KEY, client_id VARCHAR(255) NOT NULL, intent TEXT NOT NULL, \
confidence NUMERIC(5,4));
    CREATE TABLE client_entities (id SERIAL PRIMARY KEY, client_id VARCHAR(255) NOT NULL, entity_type VARCHAR(64), \
value TEXT,
      tags TEXT[]);
    CREATE TABLE client_value_chain_models (id UUID PRIMARY KEY, client_id VARCHAR(255) NOT NULL, model JSONB NOT NULL,
      version INTEGER NOT NULL DEFAULT 1);
    INSERT INTO client_configurations VALUES
      ('0a000000-0000-4000-8000-000000000001', 'acme', '{"theme": "dark", "kpis": ["POF"]}', '2025-12-28T15:30:00'),
      ('0a000000-0000-4000-8000-000000000002', 'globex', '{}', '2025-12-28T15:30:01');
    INSERT INTO client_recordings (client_id, recorded_at, payload, duration_ms) VALUES
      ('acme', '2025-12-28T16:00:00Z', '{"events": [1, 2, 3]}', 1200), ('acme', '2025-12-28T16:05:00Z', NULL, 0);
    INSERT INTO client_intents (client_id, intent, confidence) VALUES ('acme', 'reduce stockouts', 0.8731), \
('globex', 'faster close', 0.5);
    INSERT INTO client_entities (client_id, entity_type, value, tags) VALUES ('acme', 'plant', 'Hamburg', \
'{eu,primary}');
    INSERT INTO client_value_chain_models VALUES ('0b000000-0000-4000-8000-000000000001', 'acme', '{"chain": \
["source", "make", "deliver"]}', 3);`,
  '20251229_153900': `
    ALTER TABLE metadata_relationships ADD COLUMN source_uuid UUID REFERENCES metadata_entities(uuid),
      ADD COLUMN target_uuid UUID REFERENCES metadata_entities(uuid);
    UPDATE metadata_relationships r SET source_uuid = s.uuid, target_uuid = t.uuid
      FROM metadata_entities s, metadata_entities t WHERE s.id = r.source_id AND t.id = r.target_id;`,
  '20260201_113600': `
    CREATE TABLE kpi_correlations (id SERIAL PRIMARY KEY, kpi_a VARCHAR(32) NOT NULL, kpi_b VARCHAR(32) NOT NULL, \
coefficient DOUBLE PRECISION);
    CREATE TABLE simulation_runs (id UUID PRIMARY KEY, started_at TIMESTAMPTZ NOT NULL, parameters JSONB NOT NULL, \
status VARCHAR(16));
    CREATE TABLE simulation_events (id BIGSERIAL PRIMARY KEY, run_id UUID REFERENCES simulation_runs(id) ON DELETE \
CASCADE,
      at TIMESTAMPTZ NOT NULL, event JSONB);
    CREATE TABLE what_if_predictions (id SERIAL PRIMARY KEY, scenario TEXT NOT NULL, predicted JSONB, created_at \
TIMESTAMPTZ DEFAULT NOW());
    CREATE TABLE process_definitions (id SERIAL PRIMARY KEY, name TEXT UNIQUE NOT NULL, bpmn XML);
    CREATE TABLE process_scenarios (id SERIAL PRIMARY KEY, process_id INTEGER REFERENCES process_definitions(id), \
variant JSONB);
    CREATE TABLE ml_model_registry (name VARCHAR(128) NOT NULL, version INTEGER NOT NULL, artifact BYTEA, metrics JSONB,
      PRIMARY KEY (name, version));
    INSERT INTO kpi_correlations (kpi_a, kpi_b, coefficient) VALUES ('POF', 'OTD', 0.62), ('OTD', 'DSO', -0.12);
    INSERT INTO simulation_runs VALUES ('0c000000-0000-4000-8000-000000000001', '2026-02-01T11:36:00Z', \
'{"horizon_days": 30}', 'done');
    INSERT INTO simulation_events (run_id, at, event) VALUES
      ('0c000000-0000-4000-8000-000000000001', '2026-02-01T11:36:01Z', '{"kind": "start"}'),
      ('0c000000-0000-4000-8000-000000000001', '2026-02-01T11:37:00Z', '{"kind": "end", "score": 0.91}');
    INSERT INTO what_if_predictions (scenario, predicted, created_at) VALUES ('double demand', '{"otd": 0.71}', \
'2026-02-01T12:00:00Z');
    INSERT INTO process_definitions (name, bpmn) VALUES ('order-to-cash', '<definitions id="o2c"/>');
    INSERT INTO process_scenarios (process_id, variant) VALUES (1, '{"skip": "credit_check"}');
    INSERT INTO ml_model_registry VALUES ('demand-forecast', 2, '\\x00ff10', '{"mape": 0.083}');`,
};

/**
 * Creates the Python stack's schema up to `revision` and records `version` (default: that revision) in alembic_version.
 */
export async function createPythonSchema(
  client: pg.Client,
  revision: Revision,
  version: string = revision,
): Promise<void> {
  await client.query(GUIDE_TABLES);
  await client.query(METADATA_TABLES);
  for (const step of CHAIN.slice(0, CHAIN.indexOf(revision) + 1))
    if (REVISION_DDL[step]) await client.query(REVISION_DDL[step]);
  await client.query('INSERT INTO alembic_version (version_num) VALUES ($1)', [version]);
}
