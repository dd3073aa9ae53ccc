// Issuing and verifying licence keys: the claims, rotation, tampering and every reason a key is refused.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { base64url, CompactSign, decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import {
  issueLicense,
  LICENSE_INVALID_REASONS,
  MAX_LICENSE_KEY_LENGTH,
  verifyLicense,
  type LicenseVerification,
  type VerifyLicenseOptions,
} from '../../src/licenses/license-tokens.js';
import { parseLicenseSigningKeys } from '../../src/licenses/signing-keys.js';
import { during, issuedAt, notRevoked, request, ringOf } from './keys.js';

const { ring, entries } = ringOf('k1');
const license = await issueLicense(ring, request, issuedAt);
const seconds = (iso: string) => Date.parse(iso) / 1000;
const atTime = (now: Date): VerifyLicenseOptions => ({ now, isRevoked: () => Promise.resolve(false) });
const withCharAt = (text: string, at: number, char: string) => `${text.slice(0, at)}${char}${text.slice(at + 1)}`;
/** The key with one character inside its signature replaced by another. */
const forged = withCharAt(license.key, license.key.length - 10, license.key.at(-10) === '0' ? '1' : '0');
const reasonOf = async (token: unknown, options = notRevoked, keys = ring): Promise<string> => {
  const result = await verifyLicense(keys, token, options);
  return result.valid ? 'valid' : result.reason;
};

/** A token signed by the ring's own key but shaped by the test: for claims or headers issueLicense never writes. */
function signRaw(claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  const defaults = { iss: 'AnalyticsEngine', sub: 'c', value_chains: [], modules: [], term_years: 1, proposal_id: 'p' };
  return new SignJWT({ ...defaults, ...claims })
    .setProtectedHeader({ alg: 'EdDSA', kid: 'k1', typ: 'JWT', ...header })
    .setIssuedAt(seconds('2026-01-01T00:00:00Z'))
    .setNotBefore(seconds('2026-01-01T00:00:00Z'))
    .setExpirationTime(seconds('2030-01-01T00:00:00Z'))
    .setJti('raw')
    .sign(ring.current.privateKey);
}

/** Signs arbitrary bytes with the ring's key; `crit` members are declared understood so jose lets them through. */
function signBytes(payload: string, header: Record<string, unknown> = {}): Promise<string> {
  const crit = Object.fromEntries(((header.crit ?? []) as string[]).map((name) => [name, true]));
  return new CompactSign(new TextEncoder().encode(payload))
    .setProtectedHeader({ alg: 'EdDSA', kid: 'k1', typ: 'JWT', ...header })
    .sign(ring.current.privateKey, { crit });
}

describe('issueLicense', () => {
  it('signs an EdDSA JWT with the kid in its header and every claim the platform reads', () => {
    expect(decodeProtectedHeader(license.key)).toEqual({ alg: 'EdDSA', kid: 'k1', typ: 'JWT' });
    expect(decodeJwt(license.key)).toEqual({
      iss: 'AnalyticsEngine',
      sub: 'acme-corp',
      value_chains: ['order_to_cash', 'procure_to_pay'],
      modules: ['order_to_cash', 'procure_to_pay'],
      term_years: 3,
      proposal_id: 'prop-001',
      iat: seconds('2026-01-02T10:20:30Z'),
      nbf: seconds('2026-01-02T10:20:30Z'),
      exp: seconds('2029-01-05T00:00:00Z'),
      jti: license.jti,
    });
    expect(license).toEqual({
      key: license.key,
      key_id: 'k1',
      jti: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      issued_at: '2026-01-02T10:20:30.000Z',
      expires_at: '2029-01-05T00:00:00.000Z',
    });
  });

  it('runs from the start date even when the proposal is accepted after it', async () => {
    const late = await issueLicense(ring, { ...request, startDate: '2025-06-01', termYears: 1 }, issuedAt);
    const { nbf, exp } = decodeJwt(late.key);
    expect([nbf, exp]).toEqual([seconds('2025-06-01T00:00:00Z'), seconds('2026-06-01T00:00:00Z')]);
    expect(await reasonOf(late.key, atTime(issuedAt))).toBe('valid');
  });

  it('ends a term started on 29 February on 28 February of a common year', async () => {
    const leap = await issueLicense(ring, { ...request, startDate: '2028-02-29', termYears: 1 }, issuedAt);
    expect(leap.expires_at).toBe('2029-02-28T00:00:00.000Z');
  });

  it('gives every licence its own jti', async () => {
    const again = await issueLicense(ring, request, issuedAt);
    expect(again.jti).not.toBe(license.jti);
    expect(again.key).not.toBe(license.key);
  });

  it.each([
    { startDate: '2026-02-30' },
    { startDate: '05/01/2026' },
    { termYears: 0 },
    { termYears: 2.5 },
    { clientId: '' },
    { proposalId: '' },
  ])('refuses the request %j', async (change) => {
    await expect(issueLicense(ring, { ...request, ...change }, issuedAt)).rejects.toThrow(RangeError);
  });

  it('refuses an invalid issue time and a key too long to verify', async () => {
    await expect(issueLicense(ring, request, new Date('not a date'))).rejects.toThrow(RangeError);
    const valueChains = Array.from({ length: 400 }, (_, index) => `value_chain_${index}`);
    await expect(issueLicense(ring, { ...request, valueChains }, issuedAt)).rejects.toThrow(/exceed 8192 characters/);
  });
});

describe('verifyLicense', () => {
  it('answers the claims of a key it issued', async () => {
    const result = await verifyLicense(ring, license.key, notRevoked);
    expect(result).toEqual({ valid: true, claims: decodeJwt(license.key) });
  });

  it(
    'is valid from its issue (before the start date: the implementation uses it) and expired from exp, to ' +
      'the second',
    async () => {
      const nbf = issuedAt.getTime();
      const exp = Date.parse('2029-01-05T00:00:00Z');
      expect(await reasonOf(license.key, atTime(new Date(nbf - 1000)))).toBe('not_yet_valid');
      expect(await reasonOf(license.key, atTime(issuedAt))).toBe('valid');
      expect(await reasonOf(license.key, atTime(new Date('2026-01-05T00:00:00Z')))).toBe('valid');
      expect(await reasonOf(license.key, atTime(new Date(exp - 1000)))).toBe('valid');
      expect(await reasonOf(license.key, atTime(new Date(exp)))).toBe('expired');
      expect(await reasonOf(license.key, atTime(new Date('2040-01-01T00:00:00Z')))).toBe('expired');
    },
  );

  it('says revoked when the jti is revoked, asking only about keys that are otherwise valid', async () => {
    const isRevoked = vi.fn((jti: string) => Promise.resolve(jti === license.jti));
    expect(await reasonOf(license.key, { now: during, isRevoked })).toBe('revoked');
    expect(isRevoked).toHaveBeenCalledWith(license.jti);
    isRevoked.mockClear();
    expect(await reasonOf(license.key, { now: new Date('2040-01-01T00:00:00Z'), isRevoked })).toBe('expired');
    expect(await reasonOf(forged, { now: during, isRevoked })).toBe('bad_signature');
    expect(isRevoked).not.toHaveBeenCalled();
  });

  it('leaves a failing revocation lookup to the caller', async () => {
    const isRevoked = () => Promise.reject(new Error('database unavailable'));
    await expect(verifyLicense(ring, license.key, { now: during, isRevoked })).rejects.toThrow('database unavailable');
  });

  it('says unknown_key for a valid signature by a key whose kid the ring does not hold', async () => {
    const stranger = await issueLicense(ringOf('k9').ring, request, issuedAt);
    expect(await reasonOf(stranger.key)).toBe('unknown_key');
  });

  it('says bad_signature for a key signed by a different key under a kid the ring holds', async () => {
    const impostor = await issueLicense(ringOf('k1').ring, request, issuedAt);
    expect(await reasonOf(impostor.key)).toBe('bad_signature');
  });

  it('keeps verifying keys of a retired signing key after rotation, and signs new ones with the first', async () => {
    const rotated = parseLicenseSigningKeys(`${ringOf('k2').entries[0]!}, ${entries[0]!}`);
    expect(await reasonOf(license.key, notRevoked, rotated)).toBe('valid');
    const fresh = await issueLicense(rotated, request, issuedAt);
    expect(fresh.key_id).toBe('k2');
    expect(decodeProtectedHeader(fresh.key).kid).toBe('k2');
    expect(await reasonOf(fresh.key, notRevoked, rotated)).toBe('valid');
    // Once the old key leaves the ring, what it signed is no longer ours.
    const withoutK1 = parseLicenseSigningKeys(ringOf('k2').entries[0]!);
    expect(await reasonOf(license.key, notRevoked, withoutK1)).toBe('unknown_key');
  });

  it('refuses a key with any single character changed, in the header, the payload or the signature', async () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const reasons = new Set<string>();
    for (let index = 0; index < license.key.length; index += 1) {
      const value = alphabet.indexOf(license.key[index]!);
      if (value < 0) continue; // a '.'
      // The next letter flips the lowest bit (at a segment's end, a bit no decoder reads); +32 flips the highest.
      for (const replacement of [alphabet[(value + 1) % 64]!, alphabet[(value + 32) % 64]!]) {
        const result = await verifyLicense(ring, withCharAt(license.key, index, replacement), notRevoked);
        expect(result.valid, `character ${index} changed to ${replacement}`).toBe(false);
        if (!result.valid) reasons.add(result.reason);
      }
    }
    expect(reasons).toContain('bad_signature');
    expect([...reasons].every((reason) => ['malformed', 'bad_signature', 'unknown_key'].includes(reason))).toBe(true);
  });

  it('refuses a respelling of the last character that decodes to the same signature', async () => {
    // 64 signature bytes leave 4 unused bits in the last of 86 characters, which is one of 'A', 'Q', 'g', 'w'.
    const last = license.key.at(-1)!;
    expect(last).toMatch(/^[AQgw]$/);
    const respelled = withCharAt(license.key, license.key.length - 1, String.fromCharCode(last.charCodeAt(0) + 1));
    const signature = (token: string) => Buffer.from(token.split('.')[2]!, 'base64url');
    expect(signature(respelled)).toEqual(signature(license.key));
    expect(await reasonOf(respelled)).toBe('malformed');
  });

  const unsigned = (header: object, claims: object, signature = '') =>
    `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(claims))}.${signature}`;
  const claims = decodeJwt(license.key);
  it.each<[string, () => unknown]>([
    ['an empty string', () => ''],
    ['abc', () => 'abc'],
    ['a number', () => 42],
    ['null', () => null],
    ['undefined', () => undefined],
    ['an object', () => ({ license_key: license.key })],
    ['a 100 KB string', () => 'a'.repeat(100_000)],
    ['a key padded past the length cap', () => `${license.key}${'A'.repeat(MAX_LICENSE_KEY_LENGTH)}`],
    ['three dots', () => '...'],
    ['segments that are not base64url', () => 'a+b.c/d.e=f'],
    ['segments that decode to garbage', () => [30, 2, 64].map((n) => randomBytes(n).toString('base64url')).join('.')],
    ['surrounding whitespace', () => ` ${license.key}\n`],
    ['alg none', () => unsigned({ alg: 'none', kid: 'k1', typ: 'JWT' }, claims)],
    ['alg none with a signature', () => unsigned({ alg: 'none', kid: 'k1' }, claims, license.key.split('.')[2])],
    [
      'HS256 keyed with the public key',
      () =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', kid: 'k1', typ: 'JWT' })
          .sign(Buffer.from(ring.current.publicKey.export({ format: 'jwk' }).x!, 'base64url')),
    ],
    ['no kid', () => signRaw({}, { kid: undefined })],
    ['a kid that is not a string', () => signRaw({}, { kid: 1 })],
    ['a typ other than JWT', () => signRaw({}, { typ: 'at+jwt' })],
    ['another issuer', () => signRaw({ iss: 'SomeoneElse' })],
    ['a claim of the wrong type', () => signRaw({ term_years: 'three' })],
    ['a missing claim', () => signRaw({ proposal_id: undefined })],
    ['an unknown critical header', () => signBytes(JSON.stringify(claims), { crit: ['exp-v2'], 'exp-v2': true })],
    ['a signed payload that is not a JSON object', () => signBytes('[1, 2]')],
    ['a signed payload that is not JSON', () => signBytes('not json')],
  ])('says malformed for %s', async (_case, make) => {
    const result: LicenseVerification = await verifyLicense(ring, await make(), notRevoked);
    expect(result).toEqual({ valid: false, reason: 'malformed' });
  });

  it('never throws, and always answers one of the reasons, for arbitrary input', async () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_-]{0,120}$/);
    const jwtLike = fc.tuple(segment, segment, segment).map((parts) => parts.join('.'));
    const mutated = fc
      .tuple(fc.nat({ max: license.key.length - 1 }), fc.string({ minLength: 0, maxLength: 3 }))
      .map(([index, text]) => withCharAt(license.key, index, text));
    const input = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), jwtLike, mutated, fc.anything());
    await fc.assert(
      fc.asyncProperty(input, async (token) => {
        const result = await verifyLicense(ring, token, notRevoked);
        if (result.valid) expect(token).toBe(license.key);
        else expect(LICENSE_INVALID_REASONS).toContain(result.reason);
      }),
      { numRuns: 500 },
    );
  });
});
