// Readable unique proposal ids for proposals created without one:
// prop-<UTC date>-<6 random hex digits>, e.g. prop-20261125-7f3a9c; with an
// Idempotency-Key, prop-<UTC date>-<12 hex digits of the key's hash>, the same
// on every retry of that request, so a retry can never write a second proposal.
import { randomBytes } from 'node:crypto';
import type { IdempotencyClaim } from '@analytics-engine/http';

const utcDate = (at: Date) => at.toISOString().slice(0, 10).replaceAll('-', '');

export function generateProposalId(now: Date = new Date()): string {
  return `prop-${utcDate(now)}-${randomBytes(3).toString('hex')}`;
}

/** 48 bits of the claim's hash: a collision between two keys is as unlikely as a random UUID's. */
export function idempotentProposalId(claim: IdempotencyClaim): string {
  return `prop-${utcDate(claim.firstSeenAt)}-${claim.key.slice(0, 12)}`;
}
