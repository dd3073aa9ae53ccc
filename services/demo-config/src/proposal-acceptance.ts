// Accepting a proposal (sent -> accepted) issues its licence in the same
// transaction: an Ed25519-signed JWT stored on the proposal (`license`) and on
// the client configuration (`license_key`, `license_expiration`, the members the
// platform's admin screen reads). A generated proposal past its valid_until
// cannot be accepted. The licence is the service's to write: a body that
// changes it is refused.
import { isDeepStrictEqual } from 'node:util';
import { ApiError, resourceChanges, type Executor } from '@analytics-engine/http';
import {
  createClientConfigRepository,
  type ClientConfig,
  type JsonObject,
  type StoredDocument,
} from '@analytics-engine/storage';
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { clientEvents } from './change-events.js';
import { issueLicense } from './licenses/license-tokens.js';
import type { LicenseSigningKeyRing } from './licenses/signing-keys.js';
import { utcDate } from './proposal-generation.js';
import type { QuoteJson } from './proposal-generator/index.js';

/** What a proposal keeps of the licence its acceptance issued. */
export const proposalLicenseSchema = z
  .strictObject({
    key: z
      .string()
      .describe('The licence key: a JWT signed with Ed25519 (EdDSA); verify it against /demo/licenses/jwks.json'),
    key_id: z.string().describe('The kid of the key that signed it'),
    jti: z.string().describe('The licence id: POST /demo/licenses/{jti}/revoke revokes it'),
    issued_at: z.string(),
    expires_at: z.string(),
    revoked_at: z.string().optional(),
  })
  .describe('Issued when the proposal is accepted (read-only)');

export type ProposalLicense = z.infer<typeof proposalLicenseSchema>;

export interface Acceptance {
  readonly executor: Executor;
  readonly proposalId: string;
  readonly next: JsonObject;
  /** The client, locked for update by lockReferences. */
  readonly client: StoredDocument<ClientConfig> | undefined;
  readonly ring: LicenseSigningKeyRing;
  readonly now: Date;
  /** The acceptance's request: the client's change is recorded as its own. */
  readonly request: FastifyRequest;
}

const clientChanges = resourceChanges('client', clientEvents);

/**
 * The licence is a record of what was issued: a body may repeat it (GET then
 * PUT) or leave it out, and it stays; a body that changes or clears it is 422
 * GENERATED_FIELD.
 */
export function keepLicense(current: JsonObject | undefined, next: JsonObject, body: JsonObject): JsonObject {
  if (body.license !== undefined && !isDeepStrictEqual(body.license, current?.license)) {
    const message = 'license cannot be written: it is issued when the proposal is accepted';
    throw new ApiError(422, 'GENERATED_FIELD', message, [{ path: 'body.license', message: 'generated' }]);
  }
  return current?.license === undefined ? next : { ...next, license: current.license };
}

/** The accepted proposal with its licence; the client configuration gets the key too. */
export async function acceptProposal({
  executor,
  proposalId,
  next,
  client,
  ring,
  now,
  request,
}: Acceptance): Promise<JsonObject> {
  const today = utcDate(now);
  const quote = next.quote as QuoteJson | undefined;
  if (quote !== undefined && quote.valid_until < today) {
    const message =
      `the proposal was valid until ${quote.valid_until}: ` + `send it again as a new draft to have it accepted`;
    throw new ApiError(409, 'PROPOSAL_EXPIRED', message, [
      { path: 'body.status', message: 'the proposal has expired' },
    ]);
  }
  const clientId = String(next.client_id);
  // A hand-entered proposal has no quote: one year of the client's modules, from its timeline's start (or today).
  const timeline = next.timeline as { start_date?: string } | undefined;
  const issued = await issueLicense(
    ring,
    {
      clientId,
      proposalId,
      valueChains: quote?.licensing.value_chains ?? client?.data.modules ?? [],
      termYears: quote?.licensing.term_years ?? 1,
      startDate: quote?.schedule.start_date ?? timeline?.start_date ?? today,
    },
    now,
  );
  const license: ProposalLicense = issued;
  const licensed = await createClientConfigRepository(executor).merge(clientId, {
    license_key: issued.key,
    license_expiration: issued.expires_at,
  });
  if (client) {
    // The client's licence members changed too: its own audit row and config.updated.
    await request.server.changeLog.record(executor, request, [clientChanges.updated('update', client.data, licensed)]);
  }
  return { ...next, license };
}
