// Server-side prepared statements for the repositories' hot statements. Given a
// name, node-postgres parses a statement once per connection and afterwards sends
// only Bind and Execute, so PostgreSQL skips parsing and, once it settles on a
// generic plan, planning too. Only texts registered here are named: a small,
// fixed set of key lookups and writes. Lists stay unnamed (their best plan
// depends on the filter's value, which a generic plan cannot see), and so does
// everything else, DDL and the migrator's SQL included. Behind a transaction
// pooler none are named (pool-connections.ts decides).
import { createHash } from 'node:crypto';

/** A guard against a caller registering dynamic SQL: every name costs memory on every connection. */
const MAX_NAMED_STATEMENTS = 256;
const names = new Map<string, string>();
/**
 * The lengths of the registered texts: most statements (lists, built afresh per
 * request) are told apart by length alone, without hashing their whole text.
 */
const lengths = new Set<number>();

/** Marks a parameterised statement text to be sent as a named prepared statement. */
export function registerNamedStatement(text: string): void {
  if (names.has(text) || names.size >= MAX_NAMED_STATEMENTS) return;
  names.set(text, `ae_${createHash('sha256').update(text).digest('hex').slice(0, 20)}`);
  lengths.add(text.length);
}

export function namedStatement(text: string): string | undefined {
  return lengths.has(text.length) ? names.get(text) : undefined;
}

/**
 * PostgreSQL refuses a prepared statement whose result columns changed under it
 * (a migration altered the table). The connection is dropped on release, so the
 * next request prepares afresh on a new one.
 */
export function isStalePlan(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === '0A000' && typeof message === 'string' && message.includes('cached plan must not change result type');
}
