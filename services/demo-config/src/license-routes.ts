// Licences after acceptance: the public keys as a JWK Set (open, like /health,
// so any service verifies licences offline), verification (every way a key can
// be wrong is a reason, never a 500), and revocation (admin). A licence's state
// lives on the proposal that issued it (`license`, found by its jti through the
// GIN index); a revoked one says so in `license.revoked_at`.
import { errorResponses, notFoundError, resourceChanges, type ZodTypeProvider } from '@analytics-engine/http';
import { keySchema, type OpenDatabase } from '@analytics-engine/storage';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { publicJwks } from './licenses/jwks.js';
import { LICENSE_INVALID_REASONS, licenseClaimsSchema, verifyLicense } from './licenses/license-tokens.js';
import type { LicenseSigningKeyRing } from './licenses/signing-keys.js';
import type { ProposalLicense } from './proposal-acceptance.js';
import { proposalEvents } from './change-events.js';
import { proposalRepository } from './proposal-repository.js';

const tags = ['licences'];
const proposalChanges = resourceChanges('proposal', proposalEvents);
const { 400: badRequest, 404: notFound, 503: unavailable } = errorResponses;

const jwksSchema = z.object({
  keys: z.array(
    z.object({ kty: z.string(), crv: z.string(), x: z.string(), kid: z.string(), alg: z.string(), use: z.string() }),
  ),
});

const verification = z.object({
  valid: z.boolean(),
  claims: licenseClaimsSchema.optional().describe('When valid: the licence claims'),
  reason: z.enum(LICENSE_INVALID_REASONS).optional().describe('When not valid: why'),
});

/** The proposal holding the licence with this jti, if any. */
async function holderOf(database: OpenDatabase, jti: string) {
  const { items } = await proposalRepository(database.db).list({ contains: { license: { jti } }, limit: 1 });
  return items[0];
}

/** GET /demo/licenses/jwks.json: registered outside the protected scope. */
export function registerLicenseKeysRoute(app: FastifyInstance, ring: LicenseSigningKeyRing): void {
  const jwks = publicJwks(ring);
  app.withTypeProvider<ZodTypeProvider>().get(
    '/demo/licenses/jwks.json',
    {
      schema: {
        tags,
        summary: 'The public keys that verify licences (JWK Set, RFC 7517)',
        description:
          'Open to anyone, like /health: verify a licence offline with any JWT library (EdDSA, iss AnalyticsEngine).',
        response: { 200: jwksSchema, 400: errorResponses[400] },
      },
    },
    () => jwks,
  );
}

export function registerLicenseRoutes(app: FastifyInstance, database: OpenDatabase, ring: LicenseSigningKeyRing): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.post(
    '/demo/licenses/verify',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        summary: 'Verify a licence key',
        description: `valid, with its claims; or not, with a reason: ${LICENSE_INVALID_REASONS.join(', ')}.`,
        body: z.strictObject({ license_key: z.string().describe('The licence key (a JWT)') }).meta({
          examples: [{ license_key: 'eyJhbGciOiJFZERTQSIsImtpZCI6ImsxIiwidHlwIjoiSldUIn0.e30.c2lnbmF0dXJl' }],
        }),
        response: { 200: verification, 400: badRequest, 503: unavailable },
      },
    },
    async (request) => {
      const isRevoked = async (jti: string) => {
        const holder = await holderOf(database, jti);
        return holder?.data.license?.revoked_at !== undefined;
      };
      return verifyLicense(ring, request.body.license_key, { now: new Date(), isRevoked });
    },
  );

  routes.post(
    '/demo/licenses/:jti/revoke',
    {
      config: { scope: 'admin' },
      schema: {
        tags,
        summary: 'Revoke a licence',
        description: 'Verification answers revoked from then on. Revoking again keeps the first revocation time.',
        // keySchema: no NUL or lone surrogate, which the JSONB lookup could not compare.
        params: z.object({ jti: keySchema.describe('The licence id (the jti claim)') }),
        response: {
          200: z.object({ jti: z.string(), proposal_id: z.string(), revoked_at: z.string() }),
          400: badRequest,
          404: notFound,
          503: unavailable,
        },
      },
    },
    async (request) => {
      const { jti } = request.params;
      const holder = await holderOf(database, jti);
      if (!holder) throw notFoundError(`licence '${jti}'`);
      const revokedAt = new Date().toISOString();
      // The revocation, its audit row and license.revoked commit together; revoking again changes nothing.
      const updated = await database.db.transaction().execute(async (trx) => {
        let before = holder.data;
        const after = await proposalRepository(trx).update(holder.key, (current) => {
          before = current;
          const license = current.license as ProposalLicense;
          return { ...current, license: { ...license, revoked_at: license.revoked_at ?? revokedAt } };
        });
        const change = proposalChanges.updated('revoke', before, after);
        if (change.changes.length > 0) await app.changeLog.record(trx, request, [change]);
        return after;
      });
      const license = updated.data.license as ProposalLicense;
      return { jti, proposal_id: updated.key, revoked_at: license.revoked_at ?? revokedAt };
    },
  );
}
