import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database/tables.js';
import { connectorProfileSchema, type ConnectorType, type TestStatus } from '../schemas/connector-profile.js';
import { createDocumentRepository, type ListQuery } from './document-repository.js';
import { containing } from './containing.js';

export const connectorProfilesTable = {
  table: 'connector_profiles',
  keyColumn: 'id',
  dataColumn: 'profile_data',
  hasUpdatedAt: true,
} as const;

export interface ConnectorProfileFilter extends Omit<ListQuery, 'contains'> {
  readonly type?: ConnectorType | undefined;
  readonly test_status?: TestStatus | undefined;
}

export function createConnectorProfileRepository(db: Kysely<Database> | Transaction<Database>) {
  const repository = createDocumentRepository(db, connectorProfilesTable, connectorProfileSchema);
  return {
    ...repository,
    list: ({ type, test_status, ...query }: ConnectorProfileFilter = {}) =>
      repository.list({ ...query, contains: containing({ type, test_status }) }),
  };
}

export type ConnectorProfileRepository = ReturnType<typeof createConnectorProfileRepository>;
