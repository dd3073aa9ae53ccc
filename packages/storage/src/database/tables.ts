// The Kysely view of the tables: the guide's three, column for column as its DDL, and ours.
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

/** Not the guide's: the services' record of Idempotency-Keys (migration 20261202_090000). */
export interface IdempotencyKeysTable {
  key: string;
  request_hash: string;
  status_code: number | null;
  response_headers: ColumnType<Record<string, string> | null, string | null, string | null>;
  response_body: string | null;
  claimed_at: ColumnType<Date, Date | string | undefined, Date | string>;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Not the guide's: events waiting for the relay (migration 20261204_120000). */
export interface EventOutboxTable {
  position: ColumnType<string, never, never>;
  /** xid8, as text. */
  txid: ColumnType<string, never, never>;
  id: string;
  service: string;
  type: string;
  aggregate_id: string;
  /** The event as published, its envelope first: JSON, read as text by the relay (JSONB before 20261207_150000). */
  event: JsonbColumn<Record<string, unknown>>;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Not the guide's: how far each service's relay has published (migration 20261204_120000). */
export interface EventRelayProgressTable {
  service: string;
  /** pg_snapshot, as text. */
  published_through: string;
  window_end: string | null;
  window_position: ColumnType<string, string | undefined, string>;
}

/** Not the guide's: who changed what and when (migration 20261204_120000). */
export interface AuditLogTable {
  id: ColumnType<string, never, never>;
  occurred_at: ColumnType<Date, Date | string | undefined, Date | string>;
  service: string;
  actor: string;
  resource: string;
  resource_id: string;
  action: string;
  changes: string[];
  request_id: string | null;
}

export interface Database {
  connector_profiles: ConnectorProfilesTable;
  client_configs: ClientConfigsTable;
  service_proposals: ServiceProposalsTable;
  idempotency_keys: IdempotencyKeysTable;
  event_outbox: EventOutboxTable;
  event_relay_progress: EventRelayProgressTable;
  audit_log: AuditLogTable;
}
