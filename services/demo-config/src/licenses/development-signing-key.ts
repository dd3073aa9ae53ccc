// The development licence signing key: one `kid:base64-PKCS8` line in
// <DATA_DIR>/license-signing.key, created once (0600) when LICENSE_SIGNING_KEYS is
// unset outside production, so licences issued in development survive restarts.
import { generateKeyPairSync } from 'node:crypto';
import { loadKeyFile, type KeyFile } from '@analytics-engine/storage';

export const DEV_SIGNING_KEY_FILE_NAME = 'license-signing.key';

export type DevelopmentSigningKeyFile = KeyFile;

/** One `kid:base64-PKCS8` entry with a fresh key, as LICENSE_SIGNING_KEYS takes it. */
export function newSigningKeyEntry(kid: string): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return `${kid}:${privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')}`;
}

/** Created once in DATA_DIR (atomically, 0600), reused afterwards. */
export function loadDevelopmentSigningKey(dataDir: string): Promise<DevelopmentSigningKeyFile> {
  return loadKeyFile(dataDir, DEV_SIGNING_KEY_FILE_NAME, newSigningKeyEntry);
}
