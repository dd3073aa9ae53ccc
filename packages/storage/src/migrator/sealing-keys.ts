// The key the migrator seals plaintext secrets with: the Connector's own, read
// as the Connector reads it (CONNECTOR_ENCRYPTION_KEYS, first key current; else,
// outside production, the development key file in DATA_DIR). Loaded only when a
// plaintext secret is found, so a database without any needs no key.
import type { DatabaseConfig } from '../database/config.js';
import { loadDevelopmentKey, parseKeyRing } from '../secrets/encryption-keys.js';
import { createSecretBox, type SecretBox } from '../secrets/secret-box.js';
import { MigrationError } from './errors.js';

export type Sealer = () => Promise<SecretBox>;

export function sealerFor(config: DatabaseConfig, log?: (line: string) => void): Sealer {
  let box: Promise<SecretBox> | undefined;
  return () => (box ??= load(config, log));
}

async function load(config: DatabaseConfig, log: ((line: string) => void) | undefined): Promise<SecretBox> {
  if (config.connectorEncryptionKeys !== undefined)
    return createSecretBox(parseKeyRing(config.connectorEncryptionKeys));
  if (config.production) {
    throw new MigrationError(
      'failed',
      'connector_profiles holds plaintext secrets to seal, and CONNECTOR_ENCRYPTION_KEYS is not set ' +
        '(required with NODE_ENV=production): ' +
        "give the migrator the Connector's keys, the same value the Connector Service runs with",
    );
  }
  const { ring, path, created } = await loadDevelopmentKey(config.dataDir);
  log?.(
    `CONNECTOR_ENCRYPTION_KEYS is not set: sealing with the development key file ${path} (key id '${ring.current.id}'` +
      `${created ? ', created now' : ''}), the one the Connector Service uses with this DATA_DIR`,
  );
  return createSecretBox(ring);
}

/** For callers that gave no key: a plaintext secret stops the run, naming what to do. */
export const noSealer: Sealer = () =>
  Promise.reject(
    new MigrationError(
      'failed',
      'connector_profiles holds plaintext secrets to seal, and no key was given: set CONNECTOR_ENCRYPTION_KEYS',
    ),
  );
