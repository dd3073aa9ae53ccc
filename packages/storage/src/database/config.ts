// Database settings, read once from the environment and validated with zod.
import { resolve } from 'node:path';
import { z } from 'zod';

const milliseconds = (fallback: number) => z.coerce.number().int().min(0).max(3_600_000).default(fallback);
const POSTGRES_URL = /^postgres(ql)?:\/\//;
const postgresUrl = z
  .string()
  .trim()
  .optional()
  .refine((value) => value === undefined || POSTGRES_URL.test(value), {
    message: 'must start with postgres:// or postgresql://',
  });

/** The database's variables: part of every process's configuration, and all that `pnpm migrate` reads. */
export const databaseEnvShape = {
  DATABASE_URL: postgresUrl,
  /** The migrator's own connection: PostgreSQL itself, never a transaction pooler (it holds a session lock). */
  DATABASE_MIGRATION_URL: postgresUrl,
  /**
   * auto: named prepared statements unless a connection pooler is found between us and PostgreSQL;
   * false: none, and no session settings either (PgBouncer in transaction mode); true: always.
   */
  DATABASE_PREPARED_STATEMENTS: z.enum(['auto', 'true', 'false']).default('auto'),
  /** Streaming replicas that serve reads, comma-separated. */
  DATABASE_READ_URL: z
    .string()
    .trim()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((url) => url.trim())
        .filter((url) => url !== ''),
    )
    .refine((urls) => urls.every((url) => POSTGRES_URL.test(url)), {
      message: 'each URL must start with postgres:// or postgresql://',
    }),
  /** A replica further behind the primary than this serves no reads until it caught up. */
  DATABASE_READ_MAX_LAG_MS: milliseconds(1_000),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: milliseconds(5_000),
  DATABASE_STATEMENT_TIMEOUT_MS: milliseconds(15_000),
  DATABASE_IDLE_TIMEOUT_MS: milliseconds(30_000),
  /** The Connector's keys: the migrator seals the plaintext secrets of an adopted database with the first one. */
  CONNECTOR_ENCRYPTION_KEYS: z.string().trim().optional(),
  /** production: no development key file is made for that sealing. */
  NODE_ENV: z.string().trim().optional(),
};
const envSchema = z.object(databaseEnvShape);
export type DatabaseEnv = z.output<typeof envSchema>;

export interface DatabaseConfig {
  /** postgres:// URL; when absent the embedded PGlite database in dataDir is used. */
  readonly databaseUrl?: string | undefined;
  readonly dataDir: string;
  readonly poolMax: number;
  readonly connectTimeoutMs: number;
  /** Server-side statement_timeout, and the client-side query timeout a little above it. */
  readonly statementTimeoutMs: number;
  readonly idleTimeoutMs: number;
  /** DATABASE_MIGRATION_URL: where the migrator connects; absent, databaseUrl. */
  readonly migrationUrl?: string | undefined;
  /** Named prepared statements: 'auto' finds out whether a transaction pooler sits in between. */
  readonly preparedStatements?: 'auto' | boolean;
  /** DATABASE_READ_URL: replicas for reads; none, every read goes to databaseUrl. */
  readonly readUrls?: readonly string[];
  readonly readMaxLagMs?: number;
  /** Shown in pg_stat_activity, so an operator can tell sessions apart. */
  readonly applicationName: string;
  /** CONNECTOR_ENCRYPTION_KEYS as given (parsed only when a plaintext secret needs sealing). */
  readonly connectorEncryptionKeys?: string | undefined;
  /** NODE_ENV=production: sealing needs CONNECTOR_ENCRYPTION_KEYS, no development key file is made. */
  readonly production?: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The environment without empty values: `DATA_DIR=` means the default, as in most tools. */
export function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value.trim() !== '') kept[name] = value;
  return kept;
}

/**
 * Parses settings from the environment once; empty values count as unset, and a
 * bad value becomes a ConfigError with one line naming the variable and the reason.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const parsed = schema.safeParse(withoutEmptyValues(env));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConfigError(`invalid ${issue?.path.join('.') ?? 'environment'}: ${issue?.message ?? 'unknown error'}`);
}

export function databaseConfigFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  applicationName = 'analytics-engine',
): DatabaseConfig {
  return databaseConfigOf(parseEnv(envSchema, env), applicationName);
}

/** The database settings from already parsed variables (see databaseEnvShape). */
export function databaseConfigOf(e: DatabaseEnv, applicationName: string): DatabaseConfig {
  // Both name servers beside the primary: without DATABASE_URL the embedded database is the only one.
  const besidePrimary = e.DATABASE_MIGRATION_URL
    ? 'DATABASE_MIGRATION_URL'
    : e.DATABASE_READ_URL.length
      ? 'DATABASE_READ_URL'
      : undefined;
  if (besidePrimary && !e.DATABASE_URL)
    throw new ConfigError(`invalid ${besidePrimary}: it needs DATABASE_URL set too`);
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: resolve(e.DATA_DIR),
    poolMax: e.DATABASE_POOL_MAX,
    connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    idleTimeoutMs: e.DATABASE_IDLE_TIMEOUT_MS,
    migrationUrl: e.DATABASE_MIGRATION_URL,
    preparedStatements: e.DATABASE_PREPARED_STATEMENTS === 'auto' ? 'auto' : e.DATABASE_PREPARED_STATEMENTS === 'true',
    readUrls: e.DATABASE_READ_URL,
    readMaxLagMs: e.DATABASE_READ_MAX_LAG_MS,
    applicationName,
    connectorEncryptionKeys: e.CONNECTOR_ENCRYPTION_KEYS,
    production: e.NODE_ENV === 'production',
  };
}

/** The URL without its password, fit for a log line or an error message. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
