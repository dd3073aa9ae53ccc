// The Kysely view of the three tables, column for column as the guide's DDL.
import type { ColumnType } from 'kysely';

/** JSONB arrives parsed; it is written as a JSON string cast to jsonb. */
export type JsonbColumn<T> = ColumnType<T, string, string>;
/** TIMESTAMPTZ with a DEFAULT NOW(): optional on insert, nullable as the DDL says. */
export type TimestampColumn = ColumnType<Date | null, Date | string | undefined, Date | string>;

export interface ConnectorProfilesTable {
  id: string;
  profile_data: JsonbColumn<unknown>;
  created_at: TimestampColumn;
  updated_at: TimestampColumn;
}

export interface ClientConfigsTable {
  client_id: string;
  config_data: JsonbColumn<unknown>;
  created_at: TimestampColumn;
  updated_at: TimestampColumn;
}

export interface ServiceProposalsTable {
  proposal_id: string;
  proposal_data: JsonbColumn<unknown>;
  created_at: TimestampColumn;
}

export interface Database {
  connector_profiles: ConnectorProfilesTable;
  client_configs: ClientConfigsTable;
  service_proposals: ServiceProposalsTable;
}
