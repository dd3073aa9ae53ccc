// The connector's settings, parsed once from the environment when the service
// registers. A bad value refuses the boot with one line (ConfigError).
import { resolve } from 'node:path';
import { ConfigError, parseEnv } from '@analytics-engine/storage';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import { parseEgressAllowList, type EgressAllowList } from './connection-test/egress-policy.js';
import { loadDevelopmentKey, parseKeyRing, type KeyRing } from './encryption-keys.js';

const DEFAULT_PORT = 8023;
const milliseconds = (fallback: number) => z.coerce.number().int().min(100).max(300_000).default(fallback);
const port = z.coerce.number().int().min(0).max(65_535);

const envSchema = z.object({
  CONNECTOR_ENCRYPTION_KEYS: z
    .string()
    .optional()
    .transform((value) => (value?.trim() ? value.trim() : undefined)),
  NODE_ENV: z.string().trim().optional(),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  /** Hosts and CIDRs a connection test may reach although the egress policy refuses them by default. */
  CONNECTOR_EGRESS_ALLOW: z
    .string()
    .optional()
    .transform((value, context) => {
      const parsed = parseEgressAllowList(value ?? '');
      if (typeof parsed === 'string') {
        context.addIssue({ code: 'custom', message: parsed });
        return z.NEVER;
      }
      return parsed;
    }),
  /** Where excel profiles' files live; a profile names a path relative to it. */
  CONNECTOR_FILES_DIR: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? resolve(value) : undefined)),
  /** Connect timeout of a connection test (default and cap). */
  CONNECTOR_TEST_CONNECT_TIMEOUT_MS: milliseconds(5_000),
  /** Overall deadline of a connection test: the default, and the cap on a request's timeout_ms. */
  CONNECTOR_TEST_TIMEOUT_MS: milliseconds(10_000),
  PORT: port.optional(),
  CONNECTOR_PORT: port.optional(),
});

export interface ConnectionTestConfig {
  readonly egressAllow: EgressAllowList;
  readonly filesDir: string | undefined;
  readonly connectTimeoutMs: number;
  readonly deadlineMs: number;
  /** The ports this service listens on: a test may never reach them on this machine. */
  readonly ownPorts: readonly number[];
}

export interface ConnectorConfig {
  readonly keys: KeyRing;
  readonly connectionTest: ConnectionTestConfig;
}

export async function loadConnectorConfig(env: NodeJS.ProcessEnv, log: FastifyBaseLogger): Promise<ConnectorConfig> {
  const settings = parseEnv(envSchema, env);
  const { CONNECTOR_ENCRYPTION_KEYS: keys, NODE_ENV: nodeEnv, DATA_DIR: dataDir } = settings;
  const connectionTest = connectionTestConfig(settings);
  if (keys !== undefined) return { keys: parseKeyRing(keys), connectionTest };
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
  return { keys: ring, connectionTest };
}

function connectionTestConfig(env: z.infer<typeof envSchema>): ConnectionTestConfig {
  const deadlineMs = env.CONNECTOR_TEST_TIMEOUT_MS;
  return {
    egressAllow: env.CONNECTOR_EGRESS_ALLOW,
    filesDir: env.CONNECTOR_FILES_DIR,
    deadlineMs,
    connectTimeoutMs: Math.min(env.CONNECTOR_TEST_CONNECT_TIMEOUT_MS, deadlineMs),
    ownPorts: [...new Set([DEFAULT_PORT, env.PORT, env.CONNECTOR_PORT].filter((p): p is number => p !== undefined && p > 0))],
  };
}
