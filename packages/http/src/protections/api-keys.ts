// API_KEYS: comma-separated `scope:token` entries. Tokens are kept only as
// SHA-256 digests and compared in constant time against every key, so neither
// the comparison nor the number of keys tried says anything about a token.
import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '@analytics-engine/storage';

const SCOPES = ['read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** Tokens shorter than this are refused at boot: they could be guessed. */
const MIN_TOKEN_LENGTH = 24;

export interface ApiKey {
  readonly scope: Scope;
  /**
   * First 12 hex digits of the token's SHA-256: names the key in logs and scopes its idempotency keys, reveals nothing.
   */
  readonly fingerprint: string;
  readonly digest: Buffer;
}

export function parseApiKeys(value: string | undefined): ApiKey[] {
  if (value === undefined || value.trim() === '') return [];
  const keys = value.split(',').map((entry, index) => parseEntry(entry.trim(), index + 1));
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key.fingerprint)) throw new ConfigError('invalid API_KEYS: the same token appears twice');
    seen.add(key.fingerprint);
  }
  return keys;
}

function parseEntry(entry: string, position: number): ApiKey {
  const separator = entry.indexOf(':');
  const scope = entry.slice(0, Math.max(separator, 0));
  const token = entry.slice(separator + 1);
  // The message names the entry by position, never by content: it may hold a token.
  const where = `invalid API_KEYS entry ${String(position)}`;
  if (separator < 0 || !isScope(scope))
    throw new ConfigError(`${where}: must be scope:token with scope read, write or admin`);
  if (token.length < MIN_TOKEN_LENGTH)
    throw new ConfigError(`${where}: the token must be at least ${String(MIN_TOKEN_LENGTH)} characters`);
  if (!/^[\x21-\x7e]+$/.test(token))
    throw new ConfigError(`${where}: the token must be printable ASCII without spaces or commas`);
  const digest = sha256(token);
  return { scope, fingerprint: digest.subarray(0, 6).toString('hex'), digest };
}

function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** The key whose token this is, or undefined. Every key is compared, whatever matches. */
export function findKey(keys: readonly ApiKey[], token: string): ApiKey | undefined {
  const digest = sha256(token);
  let found: ApiKey | undefined;
  for (const key of keys) {
    if (timingSafeEqual(key.digest, digest) && !found) found = key;
  }
  return found;
}

/** admin may do what write may, write what read may. */
export function grants(held: Scope, needed: Scope): boolean {
  return SCOPES.indexOf(held) >= SCOPES.indexOf(needed);
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
