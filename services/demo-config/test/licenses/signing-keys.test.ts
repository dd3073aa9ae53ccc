// LICENSE_SIGNING_KEYS parsing, the development key file and what a log line shows of a ring.
import { execFileSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ConfigError } from '@analytics-engine/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEV_SIGNING_KEY_FILE_NAME } from '../../src/licenses/development-signing-key.js';
import {
  GENERATE_KEY_COMMAND,
  loadLicenseSigningKeys,
  parseLicenseSigningKeys,
} from '../../src/licenses/signing-keys.js';
import { materialOf, ringOf } from './keys.js';

const pairs = {
  ed25519: () => generateKeyPairSync('ed25519'),
  ed448: () => generateKeyPairSync('ed448'),
  x25519: () => generateKeyPairSync('x25519'),
};
function pkcs8(type: keyof typeof pairs): string {
  return pairs[type]().privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
}

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseLicenseSigningKeys', () => {
  it('keeps the entries in order, the first one signing', () => {
    const { ring } = ringOf('k2', 'k1');
    expect(ring.current.kid).toBe('k2');
    expect([...ring.byKid.keys()]).toEqual(['k2', 'k1']);
    expect(ring.current.privateKey.asymmetricKeyType).toBe('ed25519');
    expect(ring.current.publicKey.type).toBe('public');
  });

  it('accepts spaces around entries and a PEM body, with or without its armour and line breaks', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const body = pem.replace(/-----[A-Z ]+-----/g, '').trim();
    const ring = parseLicenseSigningKeys(` a:${pkcs8('ed25519')} , b:${body}, c:${pem}`);
    expect([...ring.byKid.keys()]).toEqual(['a', 'b', 'c']);
    expect(ring.byKid.get('c')!.publicKey.equals(createPublicKey(privateKey))).toBe(true);
  });

  const secret = pkcs8('ed25519');
  const refusals: [string, string, RegExp][] = [
    ['no colon', `k1:${secret},${secret}`, /^invalid LICENSE_SIGNING_KEYS entry 2: expected kid:base64-PKCS8$/],
    ['a bad kid', `k 1:${secret}`, /^invalid LICENSE_SIGNING_KEYS entry 1: the kid must be/],
    ['a duplicate kid', `k1:${pkcs8('ed25519')},k1:${secret}`, /entry 2: its kid is already used by entry 1$/],
    ['an X25519 key', `k1:${pkcs8('ed25519')},k2:${pkcs8('x25519')}`, /entry 2: not an Ed25519 PKCS#8 private key/],
    ['an Ed448 key', `k1:${pkcs8('ed448')}`, /entry 1: not an Ed25519 PKCS#8 private key/],
    ['not base64', `k1:${secret.slice(0, 20)}!${secret.slice(21)}`, /entry 1: not an Ed25519 PKCS#8 private key/],
    ['a truncated key', `k1:${secret.slice(0, 40)}`, /entry 1: not an Ed25519 PKCS#8 private key/],
    ['a raw 32-byte seed', `k1:${Buffer.alloc(32, 7).toString('base64')}`, /entry 1: not an Ed25519 PKCS#8/],
    ['an empty entry', `k1:${pkcs8('ed25519')},`, /entry 2: expected kid:base64-PKCS8/],
  ];
  it.each(refusals)('refuses %s with one line naming the entry by position', (_case, text, message) => {
    const error = configError(() => parseLicenseSigningKeys(text));
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });

  it('never puts key material in an error message', () => {
    const material = pkcs8('x25519');
    const cases = [`k1:${material}`, material, `k1:${material.slice(0, -4)}`, `k1:${pkcs8('ed25519')},k1:${material}`];
    for (const text of cases) {
      const error = configError(() => parseLicenseSigningKeys(text));
      expect(error.message).not.toContain(material.slice(8, 40));
      expect(error.message).not.toContain(material.slice(-20));
    }
  });

  it('shows a ring and its keys as their kids only, in JSON and in util.inspect', () => {
    const { ring, entries } = ringOf('k1', 'k2');
    expect(JSON.stringify(ring)).toBe('"[license signing keys: k1, k2]"');
    expect(JSON.stringify({ ring, key: ring.current })).toBe(
      '{"ring":"[license signing keys: k1, k2]","key":"[license signing key k1]"}',
    );
    const views = [JSON.stringify(ring.byKid), inspect(ring, { depth: 9 }), inspect(ring.current), inspect(ring.byKid)];
    expect(`${String(ring)} ${String(ring.current)}`).toBe('[license signing keys: k1, k2] [license signing key k1]');
    const shown = views.join('\n');
    expect(shown).toContain('[license signing keys: k1, k2]');
    const d = ring.current.privateKey.export({ format: 'jwk' }).d!;
    for (const entry of entries) expect(shown).not.toContain(materialOf(entry).slice(-30));
    expect(shown).not.toContain(d);
    expect(Object.isFrozen(ring)).toBe(true);
  });
});

describe('loadLicenseSigningKeys', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'license-keys-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('parses the variable when it is set, in production too, and writes no file', async () => {
    const { entries } = ringOf('k1');
    const loaded = await loadLicenseSigningKeys({ value: ` ${entries[0]!} `, nodeEnv: 'production', dataDir });
    expect(loaded.source).toBe('environment');
    expect(loaded.ring.current.kid).toBe('k1');
    await expect(stat(join(dataDir, DEV_SIGNING_KEY_FILE_NAME))).rejects.toThrow();
  });

  it('refuses production without keys, saying how to make one', async () => {
    for (const value of [undefined, '', '  ']) {
      const refusal = loadLicenseSigningKeys({ value, nodeEnv: 'production', dataDir });
      await expect(refusal).rejects.toBeInstanceOf(ConfigError);
      await expect(refusal).rejects.toThrow(
        `LICENSE_SIGNING_KEYS is required when NODE_ENV=production: set it to comma-separated kid:base64-PKCS8 ` +
          `Ed25519 private keys, the first one signing (make one with: ${GENERATE_KEY_COMMAND})`,
      );
    }
    await expect(loadLicenseSigningKeys({ value: '', nodeEnv: 'production', dataDir })).rejects.toThrow(
      /^LICENSE_SIGNING_KEYS is required when NODE_ENV=production/,
    );
  });

  it('creates the development key file 0600 on first use and reuses it', async () => {
    const first = await loadLicenseSigningKeys({ value: undefined, nodeEnv: undefined, dataDir });
    const path = join(dataDir, DEV_SIGNING_KEY_FILE_NAME);
    expect(first).toMatchObject({ source: 'development-file', path, created: true, permissionsFixed: false });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(first.ring.current.kid).toMatch(/^dev-[0-9a-f]{8}$/);

    const again = await loadLicenseSigningKeys({ value: undefined, nodeEnv: 'development', dataDir });
    expect(again).toMatchObject({ source: 'development-file', path, created: false, permissionsFixed: false });
    expect(again.ring.current.kid).toBe(first.ring.current.kid);
    expect(again.ring.current.publicKey.equals(first.ring.current.publicKey)).toBe(true);
  });

  it('creates the data directory and one key when several loads race', async () => {
    const nested = join(dataDir, 'a', 'b');
    const load = () => loadLicenseSigningKeys({ value: '', nodeEnv: 'test', dataDir: nested });
    const loads = await Promise.all(Array.from({ length: 5 }, load));
    expect(new Set(loads.map((loaded) => loaded.ring.current.kid)).size).toBe(1);
    expect(loads.filter((loaded) => loaded.source === 'development-file' && loaded.created)).toHaveLength(1);
  });

  it('narrows a file readable by others to 0600 and says so', async () => {
    await loadLicenseSigningKeys({ value: undefined, nodeEnv: undefined, dataDir });
    const path = join(dataDir, DEV_SIGNING_KEY_FILE_NAME);
    await chmod(path, 0o644);
    const loaded = await loadLicenseSigningKeys({ value: undefined, nodeEnv: undefined, dataDir });
    expect(loaded).toMatchObject({ created: false, permissionsFixed: true });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('names the development file, not its content, when the file is damaged', async () => {
    const path = join(dataDir, DEV_SIGNING_KEY_FILE_NAME);
    const material = pkcs8('x25519');
    await writeFile(path, `dev-1:${material}\n`, { mode: 0o600 });
    const refusal = loadLicenseSigningKeys({ value: undefined, nodeEnv: undefined, dataDir });
    await expect(refusal).rejects.toThrow(`invalid ${path} entry 1: not an Ed25519 PKCS#8 private key`);
    await expect(refusal).rejects.not.toThrow(material.slice(-20));
    expect(await readFile(path, 'utf8')).toContain(material);
  });

  it.skipIf(!hasOpenssl())('accepts the entry printed by the command its messages quote', () => {
    const entry = execFileSync('sh', ['-c', GENERATE_KEY_COMMAND], { encoding: 'utf8' }).trim();
    expect(entry).toMatch(/^k1:[A-Za-z0-9+/]+=*$/);
    expect(parseLicenseSigningKeys(entry).current.kid).toBe('k1');
  });
});

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
