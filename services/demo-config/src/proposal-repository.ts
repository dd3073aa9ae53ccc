// The proposals table with this service's document schema (its rules, the
// licence and the quote), for the routes that read proposals outside the resource.
import { createDocumentRepository, serviceProposalsTable } from '@analytics-engine/storage';
import { proposalSchema } from './proposal-rules.js';

export function proposalRepository(db: Parameters<typeof createDocumentRepository>[0]) {
  return createDocumentRepository(db, serviceProposalsTable, proposalSchema);
}
