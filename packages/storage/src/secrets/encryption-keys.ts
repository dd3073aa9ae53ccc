// The keys that seal profile secrets. CONNECTOR_ENCRYPTION_KEYS holds
// comma-separated `keyId:base64-of-32-bytes` entries, the first one current; the
// others only open what they sealed, so keys can rotate. Without it (and outside
// production) a development key is created once in <DATA_DIR>/connector-encryption.key.
// No message here ever contains key material: entries are named by position and id.
import { randomBytes } from 'node:crypto';
import { ConfigError } from '../database/config.js';
import { loadKeyFile } from './key-file.js';

export const KEY_BYTES = 32;
export const DEV_KEY_FILE_NAME = 'connector-encryption.key';
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

export interface EncryptionKey {
  readonly id: string;
  readonly key: Buffer;
}

export interface KeyRing {
  /** New secrets are sealed with this one. */
  readonly current: EncryptionKey;
  /** Every key by id, the current one included. */
  readonly byId: ReadonlyMap<string, EncryptionKey>;
}

/** Parses `id:base64,...`; `source` names where the text came from in error messages. */
export function parseKeyRing(text: string, source = 'CONNECTOR_ENCRYPTION_KEYS'): KeyRing {
  const entries = text.split(',').map((entry) => entry.trim());
  const byId = new Map<string, EncryptionKey>();
  const keys: EncryptionKey[] = [];
  for (const [index, entry] of entries.entries()) {
    const where = `${source} entry ${index + 1}`;
    const separator = entry.indexOf(':');
    if (separator < 0) throw new ConfigError(`${where}: expected keyId:base64-of-32-bytes`);
    const id = entry.slice(0, separator);
    const encoded = entry.slice(separator + 1).trim();
    if (!KEY_ID.test(id)) throw new ConfigError(`${where}: the key id must be 1 to 64 letters, digits, '_' or '-'`);
    if (byId.has(id)) throw new ConfigError(`${where}: key id '${id}' is used by an earlier entry`);
    if (!BASE64.test(encoded)) throw new ConfigError(`${where} (key id '${id}'): the key is not valid base64`);
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== KEY_BYTES) {
      throw new ConfigError(
        `${where} (key id '${id}'): the key must decode to ${KEY_BYTES} bytes, not ${key.length} (generate one ` +
          'with: openssl rand -base64 32)',
      );
    }
    const parsed = { id, key };
    byId.set(id, parsed);
    keys.push(parsed);
  }
  const current = keys[0];
  if (!current) throw new ConfigError(`${source}: no key given`);
  return { current, byId };
}

export interface DevelopmentKey {
  readonly ring: KeyRing;
  readonly path: string;
  /** True when this call created the file. */
  readonly created: boolean;
  /** True when an existing file was readable by others and was narrowed to 0600. */
  readonly permissionsFixed: boolean;
}

/** The development key file: created once in DATA_DIR, reused afterwards (see key-file.ts). */
export async function loadDevelopmentKey(dataDir: string): Promise<DevelopmentKey> {
  const { path, text, created, permissionsFixed } = await loadKeyFile(dataDir, DEV_KEY_FILE_NAME, (id) => {
    return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
  });
  return { ring: parseKeyRing(text, path), path, created, permissionsFixed };
}
