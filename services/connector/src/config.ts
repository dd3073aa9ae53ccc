// The connector's settings: its variables are part of the process's one
// configuration (parsed at start; a bad value refuses the boot with one line),
// turned here into what the routes need, keys loaded.
import { resolve } from 'node:path';
import { serviceSettings, type ProcessConfig } from '@analytics-engine/http';
import { ConfigError } from '@analytics-engine/storage';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import { parseEgressAllowList, type EgressAllowList } from './connection-test/egress-policy.js';
import { loadDevelopmentKey, parseKeyRing, type KeyRing } from './encryption-keys.js';

export const CONNECTOR_DEFAULT_PORT = 8023;
const milliseconds = (fallback: number) => z.coerce.number().int().min(100).max(300_000).default(fallback);

export const connectorEnvShape = {
  CONNECTOR_ENCRYPTION_KEYS: z.string().trim().optional(),
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
};
type ConnectorEnv = z.output<z.ZodObject<typeof connectorEnvShape>>;

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

export async function loadConnectorConfig(config: ProcessConfig, log: FastifyBaseLogger): Promise<ConnectorConfig> {
  const settings = serviceSettings(config, connectorEnvShape);
  const keys = settings.CONNECTOR_ENCRYPTION_KEYS;
  // The service's own ports: a connection test may never reach them on this machine.
  const ownPorts = [CONNECTOR_DEFAULT_PORT, config.port, config.ports.get('connector')];
  const connectionTest = connectionTestConfig(settings, ownPorts);
  if (keys !== undefined) return { keys: parseKeyRing(keys), connectionTest };
  if (config.production) {
    throw new ConfigError(
      'CONNECTOR_ENCRYPTION_KEYS is required when NODE_ENV=production: set it to comma-separated ' +
        'keyId:base64-of-32-bytes entries, the first one current (generate a key with: openssl rand -base64 32)',
    );
  }
  const developmentKey = await loadDevelopmentKey(config.database.dataDir);
  const { path, ring } = developmentKey;
  log.warn(
    `CONNECTOR_ENCRYPTION_KEYS is not set: ${developmentKey.created ? 'created' : 'using'} the development ` +
      `encryption key file ${path} (key id '${ring.current.id}'). ` +
      'Not for production: set CONNECTOR_ENCRYPTION_KEYS there.',
  );
  if (developmentKey.permissionsFixed) log.warn(`${path} was readable by other users; its mode is now 0600`);
  return { keys: ring, connectionTest };
}

function connectionTestConfig(env: ConnectorEnv, ports: readonly (number | undefined)[]): ConnectionTestConfig {
  const deadlineMs = env.CONNECTOR_TEST_TIMEOUT_MS;
  return {
    egressAllow: env.CONNECTOR_EGRESS_ALLOW,
    filesDir: env.CONNECTOR_FILES_DIR,
    deadlineMs,
    connectTimeoutMs: Math.min(env.CONNECTOR_TEST_CONNECT_TIMEOUT_MS, deadlineMs),
    ownPorts: [...new Set(ports.filter((p): p is number => p !== undefined && p > 0))],
  };
}
