import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../database/tables.js';
import { serviceProposalSchema, type ProposalStatus, type ProposalType } from '../schemas/service-proposal.js';
import { fromPythonProposal } from '../legacy/python-proposals.js';
import { createDocumentRepository, type ListQuery } from './document-repository.js';
import { containing, type FilterAliases } from './containing.js';

export const serviceProposalsTable = {
  table: 'service_proposals',
  keyColumn: 'proposal_id',
  dataColumn: 'proposal_data',
  hasUpdatedAt: false,
  fromPython: fromPythonProposal,
  indexedMembers: ['status'],
} as const;

/** status=accepted also finds the signed proposals a Python service wrote after the takeover. */
const aliases: FilterAliases = { status: { accepted: ['signed'] } };

export interface ServiceProposalFilter extends Omit<ListQuery, 'contains'> {
  readonly client_id?: string | undefined;
  readonly status?: ProposalStatus | undefined;
  readonly proposal_type?: ProposalType | undefined;
}

/**
 * `schema` lets the Demo Config Service add its business rules (a refined
 * serviceProposalSchema), so they hold on every write path.
 */
export function createServiceProposalRepository(
  db: Kysely<Database> | Transaction<Database>,
  schema: z.ZodType<
    z.output<typeof serviceProposalSchema>,
    z.input<typeof serviceProposalSchema>
  > = serviceProposalSchema,
) {
  const repository = createDocumentRepository(db, serviceProposalsTable, schema);
  return {
    ...repository,
    list: ({ client_id, status, proposal_type, ...query }: ServiceProposalFilter = {}) =>
      repository.list({ ...query, contains: containing({ client_id, status, proposal_type }, aliases) }),
  };
}

export type ServiceProposalRepository = ReturnType<typeof createServiceProposalRepository>;
