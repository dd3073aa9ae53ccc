// The configuration the services are measured in: every protection on, as
// production runs them. API keys (named, so the actor of every audit row is a
// name), rate limits counted on every request (a ceiling the load never reaches,
// so what is measured is the limiter's cost, not its refusals), NODE_ENV=production
// and the default log level. Load generators send the admin key.
import { generateKeyPairSync, randomBytes } from 'node:crypto';

const token = randomBytes(24).toString('base64url');

/** Every request of the benchmark carries this. */
export const AUTHORIZATION = { authorization: `Bearer ${token}` } as const;

/** The rate limit's ceiling: counted per key on every request, never reached by 50 connections. */
const RATE_LIMIT_PER_MINUTE = 10_000_000;

/** A licence signing key of the run's own: production refuses to start without one. */
const signingKey = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' });

export const PRODUCTION_ENV: NodeJS.ProcessEnv = {
  NODE_ENV: 'production',
  API_KEYS: `bench=admin:${token}`,
  RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT_PER_MINUTE),
  LICENSE_SIGNING_KEYS: `bench:${signingKey.toString('base64')}`,
  // The default level (info) of a production start: unset, not chosen by the bench.
  LOG_LEVEL: undefined,
};
