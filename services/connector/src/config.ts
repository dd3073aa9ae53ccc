// The connector's settings, parsed once from the environment when the service
// registers. A bad value refuses the boot with one line (ConfigError).
import { resolve } from 'node:path';
import { ConfigError } from '@analytics-engine/storage';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import { loadDevelopmentKey, parseKeyRing, type KeyRing } from './encryption-keys.js';

const envSchema = z.object({
  CONNECTOR_ENCRYPTION_KEYS: z
    .string()
    .optional()
    .transform((value) => (value?.trim() ? value.trim() : undefined)),
  NODE_ENV: z.string().trim().optional(),
  DATA_DIR: z.string().trim().min(1).default('./data'),
});

export interface ConnectorConfig {
  readonly keys: KeyRing;
}

export async function loadConnectorConfig(env: NodeJS.ProcessEnv, log: FastifyBaseLogger): Promise<ConnectorConfig> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid ${issue?.path.join('.') ?? 'environment'}: ${issue?.message ?? 'unknown error'}`);
  }
  const { CONNECTOR_ENCRYPTION_KEYS: keys, NODE_ENV: nodeEnv, DATA_DIR: dataDir } = parsed.data;
  if (keys !== undefined) return { keys: parseKeyRing(keys) };
  if (nodeEnv === 'production') {
    throw new ConfigError(
      'CONNECTOR_ENCRYPTION_KEYS is required when NODE_ENV=production: set it to comma-separated keyId:base64-of-32-bytes entries, the first one current (generate a key with: openssl rand -base64 32)',
    );
  }
  const developmentKey = await loadDevelopmentKey(resolve(dataDir));
  const { path, ring } = developmentKey;
  log.warn(
    `CONNECTOR_ENCRYPTION_KEYS is not set: ${developmentKey.created ? 'created' : 'using'} the development encryption key file ${path} (key id '${ring.current.id}'). ` +
      'Not for production: set CONNECTOR_ENCRYPTION_KEYS there.',
  );
  if (developmentKey.permissionsFixed) log.warn(`${path} was readable by other users; its mode is now 0600`);
  return { keys: ring };
}
