// API_KEYS: comma-separated `scope:token` entries, each optionally named
// (`name=scope:token`: the name is the actor in events and the audit trail). Tokens are kept only as
// SHA-256 digests and compared in constant time against every key, so neither
// the comparison nor the number of keys tried says anything about a token.
import { hash, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '@analytics-engine/storage';

const SCOPES = ['read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** Tokens shorter than this are refused at boot: they could be guessed. */
const MIN_TOKEN_LENGTH = 24;

export interface ApiKey {
  readonly scope: Scope;
  /** The entry's name (`name=scope:token`), if it has one. */
  readonly name: string | undefined;
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
  const names = new Set<string>();
  for (const key of keys) {
    if (seen.has(key.fingerprint)) throw new ConfigError('invalid API_KEYS: the same token appears twice');
    seen.add(key.fingerprint);
    if (key.name === undefined) continue;
    // Names say who made a change: two keys with one name would make the audit trail ambiguous.
    if (names.has(key.name)) throw new ConfigError(`invalid API_KEYS: the name '${key.name}' appears twice`);
    names.add(key.name);
  }
  return keys;
}

/** A name, if the entry starts with one: `=` before the first `:` (a token may hold either). */
const NAMED_ENTRY = /^([^:=]*)=(.*)$/s;
const NAME = /^[A-Za-z0-9._-]{1,64}$/;

function parseEntry(given: string, position: number): ApiKey {
  // The message names the entry by position, never by content: it may hold a token.
  const where = `invalid API_KEYS entry ${String(position)}`;
  const named = NAMED_ENTRY.exec(given);
  const name = named?.[1]?.trim();
  if (name !== undefined && !NAME.test(name))
    throw new ConfigError(`${where}: a name must be 1 to 64 letters, digits, '.', '_' or '-'`);
  const entry = named?.[2]?.trim() ?? given;
  const separator = entry.indexOf(':');
  const scope = entry.slice(0, Math.max(separator, 0));
  const token = entry.slice(separator + 1);
  if (separator < 0 || !isScope(scope))
    throw new ConfigError(`${where}: must be scope:token or name=scope:token, with scope read, write or admin`);
  if (token.length < MIN_TOKEN_LENGTH)
    throw new ConfigError(`${where}: the token must be at least ${String(MIN_TOKEN_LENGTH)} characters`);
  if (!/^[\x21-\x7e]+$/.test(token))
    throw new ConfigError(`${where}: the token must be printable ASCII without spaces or commas`);
  const digest = sha256(token);
  return { scope, name, fingerprint: digest.subarray(0, 6).toString('hex'), digest };
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

/** One-shot hashing: no Hash object per request. */
function sha256(text: string): Buffer {
  return hash('sha256', text, 'buffer');
}
