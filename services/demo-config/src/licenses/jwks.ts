// The public half of the signing ring as a JWK Set (RFC 7517), so any service
// verifies licences offline with a stock JWT library. Every key of the ring is
// published, the retired ones too: licences they signed are still in use.
import type { KeyObject } from 'node:crypto';
import type { LicenseSigningKeyRing } from './signing-keys.js';

export interface LicenseJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  /** The public key, base64url (RFC 8037). */
  readonly x: string;
  readonly kid: string;
  readonly alg: 'EdDSA';
  readonly use: 'sig';
}

export interface LicenseJwks {
  keys: LicenseJwk[];
}

export function publicJwks(ring: LicenseSigningKeyRing): LicenseJwks {
  const keys = [...ring.byKid.values()].map(({ kid, publicKey }): LicenseJwk => {
    return { ...okpMembers(publicKey), kid, alg: 'EdDSA', use: 'sig' };
  });
  return { keys };
}

/** Copies the public members by name, so a private member (`d`) can never slip through. */
function okpMembers(publicKey: KeyObject): Pick<LicenseJwk, 'kty' | 'crv' | 'x'> {
  const { kty, crv, x } = publicKey.export({ format: 'jwk' });
  if (kty !== 'OKP' || crv !== 'Ed25519' || typeof x !== 'string') throw new TypeError('not an Ed25519 public key');
  return { kty, crv, x };
}
