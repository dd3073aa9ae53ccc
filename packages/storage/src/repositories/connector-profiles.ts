import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database/tables.js';
import { fromPythonProfile, pythonConnectorTypes } from '../legacy/python-profiles.js';
import { connectorProfileSchema, type ConnectorType, type TestStatus } from '../schemas/connector-profile.js';
import { createDocumentRepository, type ListQuery, type RepositoryOptions } from './document-repository.js';
import { containing, type FilterAliases } from './containing.js';

export const connectorProfilesTable = {
  table: 'connector_profiles',
  keyColumn: 'id',
  dataColumn: 'profile_data',
  hasUpdatedAt: true,
  fromPython: fromPythonProfile,
} as const;

/** type=sql also finds the sql_postgres and sql_mssql rows a Python Connector wrote after the takeover. */
const aliases: FilterAliases = {
  type: Object.entries(pythonConnectorTypes).reduce<Record<string, string[]>>((byType, [python, current]) => {
    (byType[current] ??= []).push(python);
    return byType;
  }, {}),
};

export interface ConnectorProfileFilter extends Omit<ListQuery, 'contains'> {
  readonly type?: ConnectorType | undefined;
  readonly test_status?: TestStatus | undefined;
}

/** `options.beforeStore`: the Connector seals there what a Python service left in plaintext. */
export function createConnectorProfileRepository(
  db: Kysely<Database> | Transaction<Database>,
  options: RepositoryOptions = {},
) {
  const repository = createDocumentRepository(db, connectorProfilesTable, connectorProfileSchema, options);
  return {
    ...repository,
    list: ({ type, test_status, ...query }: ConnectorProfileFilter = {}) =>
      repository.list({ ...query, contains: containing({ type, test_status }, aliases) }),
  };
}

export type ConnectorProfileRepository = ReturnType<typeof createConnectorProfileRepository>;
