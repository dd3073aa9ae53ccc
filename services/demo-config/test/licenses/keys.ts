// Rings of fresh keys for the licence tests.
import { newSigningKeyEntry } from '../../src/licenses/development-signing-key.js';
import type { VerifyLicenseOptions } from '../../src/licenses/license-tokens.js';
import { parseLicenseSigningKeys, type LicenseSigningKeyRing } from '../../src/licenses/signing-keys.js';

export interface TestRing {
  readonly ring: LicenseSigningKeyRing;
  /** The `kid:base64-PKCS8` entries, in ring order. */
  readonly entries: readonly string[];
}

export function ringOf(...kids: string[]): TestRing {
  const entries = kids.map((kid) => newSigningKeyEntry(kid));
  return { ring: parseLicenseSigningKeys(entries.join(',')), entries };
}

/** The base64 key material of an entry. */
export function materialOf(entry: string): string {
  return entry.slice(entry.indexOf(':') + 1);
}

export const request = {
  clientId: 'acme-corp',
  valueChains: ['order_to_cash', 'procure_to_pay'],
  termYears: 3,
  proposalId: 'prop-001',
  startDate: '2026-01-05',
} as const;

export const issuedAt = new Date('2026-01-02T10:20:30.456Z');
/** Inside the term of `request`. */
export const during = new Date('2027-06-01T00:00:00Z');
export const notRevoked: VerifyLicenseOptions = { now: during, isRevoked: () => Promise.resolve(false) };
