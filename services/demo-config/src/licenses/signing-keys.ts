// The Ed25519 keys that sign licences. LICENSE_SIGNING_KEYS holds comma-separated
// `kid:base64-PKCS8` entries (the DER of a PKCS#8 private key in base64, or a PEM
// body); the first signs new licences, the others stay published so licences they
// issued still verify while keys rotate. Without it (and outside production) a
// development key is created once in <DATA_DIR>/license-signing.key.
// No message here ever contains key material: an entry is named by its position
// only, since a pasted entry missing its `kid:` would otherwise echo the key.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { resolve } from 'node:path';
import { inspect } from 'node:util';
import { ConfigError } from '@analytics-engine/storage';
import { loadDevelopmentSigningKey } from './development-signing-key.js';

export const SIGNING_KEYS_VARIABLE = 'LICENSE_SIGNING_KEYS';
/** Prints one valid entry; quoted in the errors that ask for a key. */
export const GENERATE_KEY_COMMAND = 'echo "k1:$(openssl genpkey -algorithm ed25519 -outform DER | base64 -w0)"';
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const PEM_ARMOUR = /-----(BEGIN|END) PRIVATE KEY-----/g;

/** What a log line shows instead of a key: its kid. */
interface ShownByKid {
  toJSON(): string;
  toString(): string;
}

export interface LicenseSigningKey extends ShownByKid {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export interface LicenseSigningKeyRing extends ShownByKid {
  /** Signs new licences. */
  readonly current: LicenseSigningKey;
  /** Every key by kid, the current one first; all are published in the JWKS. */
  readonly byKid: ReadonlyMap<string, LicenseSigningKey>;
}

/** Parses `kid:base64-PKCS8,...`; `source` names where the text came from in error messages. */
export function parseLicenseSigningKeys(text: string, source = SIGNING_KEYS_VARIABLE): LicenseSigningKeyRing {
  const byKid = new Map<string, LicenseSigningKey>();
  const positions = new Map<string, number>();
  for (const [index, entry] of text.split(',').entries()) {
    const where = `invalid ${source} entry ${index + 1}`;
    const trimmed = entry.trim();
    const separator = trimmed.indexOf(':');
    if (separator < 0) throw new ConfigError(`${where}: expected kid:base64-PKCS8`);
    const kid = trimmed.slice(0, separator);
    if (!KEY_ID.test(kid)) throw new ConfigError(`${where}: the kid must be 1 to 64 letters, digits, '_' or '-'`);
    const earlier = positions.get(kid);
    if (earlier !== undefined) throw new ConfigError(`${where}: its kid is already used by entry ${earlier}`);
    const privateKey = ed25519PrivateKey(trimmed.slice(separator + 1));
    if (!privateKey) {
      throw new ConfigError(`${where}: not an Ed25519 PKCS#8 private key (make one with: ${GENERATE_KEY_COMMAND})`);
    }
    positions.set(kid, index + 1);
    byKid.set(kid, sealed({ kid, privateKey, publicKey: createPublicKey(privateKey) }, `[license signing key ${kid}]`));
  }
  const [current] = byKid.values();
  if (!current) throw new ConfigError(`${source}: no key given`);
  return sealed({ current, byKid }, `[license signing keys: ${[...byKid.keys()].join(', ')}]`);
}

/** A PEM body may arrive with its armour and line breaks; both are dropped before decoding. */
function ed25519PrivateKey(encoded: string): KeyObject | undefined {
  const body = encoded.replace(PEM_ARMOUR, '').replace(/\s+/g, '');
  if (!BASE64.test(body)) return undefined;
  try {
    const key = createPrivateKey({ key: Buffer.from(body, 'base64'), format: 'der', type: 'pkcs8' });
    return key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch {
    return undefined;
  }
}

/** Frozen, and shown as `label` by JSON.stringify (pino), util.inspect (console) and String(): no key reaches a log. */
function sealed<T extends object>(value: T, label: string): T & ShownByKid {
  const shown = { toJSON: () => label, toString: () => label, [inspect.custom]: () => label };
  return Object.freeze(Object.assign(value, shown));
}

export interface LicenseSigningSettings {
  /** LICENSE_SIGNING_KEYS; unset or blank means none given. */
  readonly value: string | undefined;
  readonly nodeEnv: string | undefined;
  readonly dataDir: string;
}

export type LoadedLicenseSigningKeys =
  | { readonly ring: LicenseSigningKeyRing; readonly source: 'environment' }
  | {
      readonly ring: LicenseSigningKeyRing;
      readonly source: 'development-file';
      readonly path: string;
      /** True when this call created the file. */
      readonly created: boolean;
      /** True when the file was readable by others and was narrowed to 0600: worth a warning. */
      readonly permissionsFixed: boolean;
    };

/** The ring from the variable, else (outside production) from the development key file. */
export async function loadLicenseSigningKeys(settings: LicenseSigningSettings): Promise<LoadedLicenseSigningKeys> {
  const value = settings.value?.trim();
  if (value) return { ring: parseLicenseSigningKeys(value), source: 'environment' };
  if (settings.nodeEnv === 'production') {
    throw new ConfigError(
      `${SIGNING_KEYS_VARIABLE} is required when NODE_ENV=production: set it to comma-separated kid:base64-PKCS8 ` +
        `Ed25519 private keys, the first one signing (make one with: ${GENERATE_KEY_COMMAND})`,
    );
  }
  const { text, path, created, permissionsFixed } = await loadDevelopmentSigningKey(resolve(settings.dataDir));
  return { ring: parseLicenseSigningKeys(text, path), source: 'development-file', path, created, permissionsFixed };
}
