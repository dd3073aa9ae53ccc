// Readable unique proposal ids for proposals created without one:
// prop-<UTC date>-<6 random hex digits>, e.g. prop-20261125-7f3a9c.
import { randomBytes } from 'node:crypto';

export function generateProposalId(now: Date = new Date()): string {
  const date = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `prop-${date}-${randomBytes(3).toString('hex')}`;
}
