import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database/tables.js';
import { fromPythonClient } from '../legacy/python-clients.js';
import { clientConfigSchema, type LicenseType } from '../schemas/client-config.js';
import { createDocumentRepository, type ListQuery } from './document-repository.js';
import { containing } from './containing.js';

export const clientConfigsTable = {
  table: 'client_configs',
  keyColumn: 'client_id',
  dataColumn: 'config_data',
  hasUpdatedAt: true,
  fromPython: fromPythonClient,
} as const;

export interface ClientConfigFilter extends Omit<ListQuery, 'contains'> {
  readonly license_type?: LicenseType | undefined;
  /** Clients whose modules include this one. */
  readonly module?: string | undefined;
}

export function createClientConfigRepository(db: Kysely<Database> | Transaction<Database>) {
  const repository = createDocumentRepository(db, clientConfigsTable, clientConfigSchema);
  return {
    ...repository,
    list: ({ license_type, module, ...query }: ClientConfigFilter = {}) =>
      repository.list({
        ...query,
        contains: containing({ license_type, modules: module === undefined ? undefined : [module] }),
      }),
  };
}

export type ClientConfigRepository = ReturnType<typeof createClientConfigRepository>;
