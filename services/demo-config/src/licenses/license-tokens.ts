// Licence keys: EdDSA (Ed25519) JWTs signed by the ring's current key and checked
// against every key of the ring. No clock and no storage here: the time is an
// input and revocation a callback; only the jti is random.
import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTHeaderParameters } from 'jose';
import { z } from 'zod';
import { licenseTerm } from './license-term.js';
import type { LicenseSigningKeyRing } from './signing-keys.js';

export const LICENSE_ISSUER = 'AnalyticsEngine';
/** Longer input is refused unread: a real key is well under 1 KiB. */
export const MAX_LICENSE_KEY_LENGTH = 8 * 1024;
export const LICENSE_INVALID_REASONS = [
  'malformed',
  'bad_signature',
  'unknown_key',
  'expired',
  'not_yet_valid',
  'revoked',
] as const;
export type LicenseInvalidReason = (typeof LICENSE_INVALID_REASONS)[number];

const ALGORITHM = 'EdDSA';
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export interface LicenseRequest {
  readonly clientId: string;
  readonly valueChains: readonly string[];
  readonly termYears: number;
  readonly proposalId: string;
  /** YYYY-MM-DD; the licence is valid from 00:00 UTC that day. */
  readonly startDate: string;
}

export interface IssuedLicense {
  readonly key: string;
  readonly key_id: string;
  readonly jti: string;
  /** ISO 8601, UTC, whole seconds (the `iat` claim). */
  readonly issued_at: string;
  /** ISO 8601, UTC (the `exp` claim): the first instant the licence is no longer valid. */
  readonly expires_at: string;
}

/**
 * Signs a licence with the ring's current key. `nbf` is the start date, or the
 * issue time when that is earlier (the implementation before the start uses the
 * platform; a proposal accepted late still runs from its start date); `exp` is
 * the start date plus the term.
 * Throws RangeError for a malformed request, which a route validates first.
 */
export async function issueLicense(
  ring: LicenseSigningKeyRing,
  request: LicenseRequest,
  now: Date,
): Promise<IssuedLicense> {
  if (!request.clientId || !request.proposalId) throw new RangeError('a licence needs a client id and a proposal id');
  const issuedAt = Math.floor(now.getTime() / 1000);
  if (!Number.isFinite(issuedAt)) throw new RangeError('the issue time is not a valid date');
  const { notBefore, expiresAt } = licenseTerm(request.startDate, request.termYears);
  const { kid, privateKey } = ring.current;
  const jti = randomUUID();
  const valueChains = [...request.valueChains];
  const header: JWTHeaderParameters = { alg: ALGORITHM, kid, typ: 'JWT' };
  const key = await new SignJWT({
    value_chains: valueChains,
    modules: valueChains,
    term_years: request.termYears,
    proposal_id: request.proposalId,
  })
    .setProtectedHeader(header)
    .setIssuer(LICENSE_ISSUER)
    .setSubject(request.clientId)
    .setIssuedAt(issuedAt)
    .setNotBefore(Math.min(seconds(notBefore), issuedAt))
    .setExpirationTime(seconds(expiresAt))
    .setJti(jti)
    .sign(privateKey);
  // A key the verifier would refuse unread must not be issued.
  if (key.length > MAX_LICENSE_KEY_LENGTH) {
    throw new RangeError(`the licence key would exceed ${MAX_LICENSE_KEY_LENGTH} characters`);
  }
  return {
    key,
    key_id: kid,
    jti,
    issued_at: new Date(issuedAt * 1000).toISOString(),
    expires_at: expiresAt.toISOString(),
  };
}

function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** The claims a verified key answers with; members this version does not know are left out on purpose. */
export const licenseClaimsSchema = z.object({
  iss: z.literal(LICENSE_ISSUER),
  sub: z.string().min(1),
  value_chains: z.array(z.string()),
  modules: z.array(z.string()),
  term_years: z.number().int().positive(),
  proposal_id: z.string().min(1),
  iat: z.number().int(),
  nbf: z.number().int(),
  exp: z.number().int(),
  jti: z.string().min(1),
});
export type LicenseClaims = z.infer<typeof licenseClaimsSchema>;

export type LicenseVerification =
  | { readonly valid: true; readonly claims: LicenseClaims }
  | { readonly valid: false; readonly reason: LicenseInvalidReason };

export interface VerifyLicenseOptions {
  readonly now: Date;
  /** Asked only for a key whose signature and dates hold; its failure (storage down) is the caller's to report. */
  readonly isRevoked: (jti: string) => Promise<boolean>;
}

class UnknownKeyError extends Error {}

/** Never throws for any `token`: every way a key can be wrong is a reason. */
export async function verifyLicense(
  ring: LicenseSigningKeyRing,
  token: unknown,
  options: VerifyLicenseOptions,
): Promise<LicenseVerification> {
  if (typeof token !== 'string' || token.length > MAX_LICENSE_KEY_LENGTH || !isCanonicalCompactJws(token)) {
    return invalid('malformed');
  }
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(
      token,
      (header) => {
        if (typeof header.kid !== 'string') throw new errors.JWSInvalid('the licence key names no kid');
        const key = ring.byKid.get(header.kid);
        if (!key) throw new UnknownKeyError();
        return key.publicKey;
      },
      {
        algorithms: [ALGORITHM],
        issuer: LICENSE_ISSUER,
        typ: 'JWT',
        requiredClaims: ['nbf', 'exp'],
        currentDate: options.now,
      },
    ));
  } catch (error) {
    return invalid(reasonFor(error));
  }
  const claims = licenseClaimsSchema.safeParse(payload);
  if (!claims.success) return invalid('malformed');
  if (await options.isRevoked(claims.data.jti)) return invalid('revoked');
  return { valid: true, claims: claims.data };
}

function invalid(reason: LicenseInvalidReason): LicenseVerification {
  return { valid: false, reason };
}

/** By jose's error classes; anything else (bad encoding, alg none or HS256, a wrong typ or iss) is malformed. */
function reasonFor(error: unknown): LicenseInvalidReason {
  if (error instanceof UnknownKeyError) return 'unknown_key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf' && error.reason === 'check_failed') {
    return 'not_yet_valid';
  }
  return 'malformed';
}

/**
 * Three base64url segments, each in its one canonical spelling. Decoders ignore the
 * spare low bits of a segment's last character, so without this check changing that
 * character would leave the key valid.
 */
function isCanonicalCompactJws(token: string): boolean {
  if (!COMPACT_JWS.test(token)) return false;
  return token.split('.').every((part) => Buffer.from(part, 'base64url').toString('base64url') === part);
}
