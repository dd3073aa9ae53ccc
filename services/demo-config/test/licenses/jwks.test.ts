// The published keys: RFC 7517 members only, and enough for a stock JWT library to verify offline.
import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { publicJwks } from '../../src/licenses/jwks.js';
import { issueLicense, LICENSE_ISSUER } from '../../src/licenses/license-tokens.js';
import { parseLicenseSigningKeys } from '../../src/licenses/signing-keys.js';
import { during, issuedAt, request, ringOf } from './keys.js';

describe('publicJwks', () => {
  it('publishes every key of the ring as an Ed25519 verification key, without its private part', () => {
    const { ring } = ringOf('k2', 'k1');
    const jwks = publicJwks(ring);
    expect(jwks.keys.map((key) => key.kid)).toEqual(['k2', 'k1']);
    for (const key of jwks.keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
      expect(key.x).toBe(ring.byKid.get(key.kid)!.publicKey.export({ format: 'jwk' }).x);
      expect(key.x).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(key).not.toHaveProperty('d');
    }
    const text = JSON.stringify(jwks);
    expect(text).not.toContain('"d"');
    for (const { privateKey } of ring.byKid.values()) {
      expect(text).not.toContain(privateKey.export({ format: 'jwk' }).d);
    }
  });

  it('lets stock jose verify a licence offline, the ones signed by a retired key too', async () => {
    const old = ringOf('old');
    const rotated = parseLicenseSigningKeys(`${ringOf('new').entries[0]!},${old.entries[0]!}`);
    const before = await issueLicense(old.ring, request, issuedAt);
    const after = await issueLicense(rotated, request, issuedAt);
    // As another service would have it: the JWKS fetched as JSON.
    const keySet = createLocalJWKSet(JSON.parse(JSON.stringify(publicJwks(rotated))));
    for (const license of [before, after]) {
      const { payload, protectedHeader } = await jwtVerify(license.key, keySet, {
        issuer: LICENSE_ISSUER,
        algorithms: ['EdDSA'],
        currentDate: during,
      });
      expect(protectedHeader.kid).toBe(license.key_id);
      expect(payload).toMatchObject({ sub: request.clientId, jti: license.jti, proposal_id: request.proposalId });
    }
    expect([before.key_id, after.key_id]).toEqual(['old', 'new']);

    const tampered = `${after.key.slice(0, 40)}${after.key[40] === 'A' ? 'B' : 'A'}${after.key.slice(41)}`;
    await expect(jwtVerify(tampered, keySet, { currentDate: during })).rejects.toThrow();
    // Another key under the same kid verifies nothing.
    const impostor = createLocalJWKSet(publicJwks(ringOf('old').ring));
    await expect(jwtVerify(before.key, impostor, { currentDate: during })).rejects.toThrow();
  });
});
