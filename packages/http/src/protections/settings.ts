// The protection settings, read once from the environment (see the README's
// Security section). Access control is on exactly when API_KEYS names keys.
import { ConfigError, parseEnv } from '@analytics-engine/storage';
import { z } from 'zod';
import { parseApiKeys, type ApiKey } from './api-keys.js';

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

export const protectionEnvShape = {
  API_KEYS: z.string().optional(),
  ALLOW_UNAUTHENTICATED: flag.default(false),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(10_000_000).optional(),
  MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(256),
  MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  IDEMPOTENCY_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),
};
const envSchema = z.object(protectionEnvShape);

/** Requests per minute per key (or per address without one), when limiting is on by default. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 1_200;

export interface ProtectionSettings {
  readonly apiKeys: readonly ApiKey[];
  /** The operator chose to serve a non-loopback address without keys. */
  readonly allowUnauthenticated: boolean;
  /** Requests per minute per key or address; 0 is off. */
  readonly rateLimitPerMinute: number;
  /** Requests one service handles at once; more are shed with 503 at once. */
  readonly maxInFlight: number;
  /** Event-loop delay above which requests are shed; 0 is off. */
  readonly maxEventLoopDelayMs: number;
  readonly idempotencyTtlHours: number;
}

export function protectionSettingsFromEnv(env: NodeJS.ProcessEnv): ProtectionSettings {
  return protectionSettingsOf(parseEnv(envSchema, env));
}

/** The settings from already parsed variables (see protectionEnvShape). */
export function protectionSettingsOf(settings: z.output<typeof envSchema>): ProtectionSettings {
  const apiKeys = parseApiKeys(settings.API_KEYS);
  // Limits guard a service that others reach: with keys, or exposed without them.
  // A service open on loopback has one client, the machine itself (and its benchmark).
  const exposed = apiKeys.length > 0 || settings.ALLOW_UNAUTHENTICATED;
  return {
    apiKeys,
    allowUnauthenticated: settings.ALLOW_UNAUTHENTICATED,
    rateLimitPerMinute: settings.RATE_LIMIT_PER_MINUTE ?? (exposed ? DEFAULT_RATE_LIMIT_PER_MINUTE : 0),
    maxInFlight: settings.MAX_IN_FLIGHT,
    maxEventLoopDelayMs: settings.MAX_EVENT_LOOP_DELAY_MS,
    idempotencyTtlHours: settings.IDEMPOTENCY_TTL_HOURS,
  };
}

/**
 * Refuses to serve a non-loopback address without keys: anyone on the network
 * could then read and change every profile. ALLOW_UNAUTHENTICATED=true opts out.
 */
export function assertSafeBinding(host: string, settings: ProtectionSettings): void {
  if (settings.apiKeys.length > 0 || settings.allowUnauthenticated || isLoopback(host)) return;
  throw new ConfigError(
    `HOST=${host} is reachable from other machines and API_KEYS is empty: ` +
      `set API_KEYS (see the README's Security section), listen on localhost, ` +
      `or set ALLOW_UNAUTHENTICATED=true to serve without keys`,
  );
}

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare) || bare === '::ffff:127.0.0.1';
}
