// Which statements may go to a replica is decided per request: a read route
// runs inside a read context (AsyncLocalStorage), and only there may a single
// plain SELECT leave the primary. A context remembers that it wrote, so that a
// read after its own write in the same request stays on the primary.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface ReadContext {
  /** A replica serves this request's reads only once it replayed this WAL position (a consistency token). */
  readonly minLsn: bigint | undefined;
  /** Set by the first statement that is not a plain read (a write, a transaction, a lock): the primary from then on. */
  primaryOnly: boolean;
}

export const readContexts = new AsyncLocalStorage<ReadContext>();

const LOCKING = /\bfor\s+(update|share|no\s+key\s+update|key\s+share)\b/i;

/** A statement a replica can answer and that changes nothing: a SELECT that locks no row. */
export function isPlainRead(sql: string): boolean {
  return /^\s*select\b/i.test(sql) && !LOCKING.test(sql);
}
