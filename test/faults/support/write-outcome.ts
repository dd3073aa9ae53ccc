// How one write's fate is judged from what the client saw. The rule, and why:
//
// acknowledged: a 2xx. The service said it committed.
//
// failed: only what guarantees that nothing changed.
//   - a 4xx: the request was refused before any write (validation, limits);
//   - 503 DATABASE_UNAVAILABLE: no database connection could be had, so no
//     statement was sent (each route used here writes in one statement or one
//     transaction on one connection);
//   - 504 QUERY_TIMEOUT: the server cancelled the statement (statement_timeout)
//     and rolled its transaction back; a COMMIT is never cancelled that way;
//   - 503 OVERLOADED and 503 SHUTTING_DOWN: refused in an onRequest hook,
//     before the route ran;
//   - a connection refused: the request never left the client.
//
// unknown: everything else, because it may have committed.
//   - 503 DATABASE_CONNECTION_LOST: the connection broke mid-statement, maybe
//     after the COMMIT reached the server (a failed COMMIT is exactly this);
//   - 504 DATABASE_NOT_ANSWERING, any other 5xx;
//   - a socket error or a client timeout once the request may have been sent.
//
// The verdict then checks acknowledged ⊆ stored and failed ∩ stored = ∅; an
// unknown write may be either.

export type Outcome = 'acknowledged' | 'failed' | 'unknown';

export interface Answer {
  readonly status: number;
  /** The service's error code, when it sent its error body. */
  readonly code?: string | undefined;
  readonly retryAfter: string | null;
}

const NOTHING_WRITTEN_CODES = new Set(['DATABASE_UNAVAILABLE', 'QUERY_TIMEOUT', 'OVERLOADED', 'SHUTTING_DOWN']);

export function outcomeOfAnswer(answer: Answer): Outcome {
  if (answer.status >= 200 && answer.status < 300) return 'acknowledged';
  if (answer.status >= 400 && answer.status < 500) return 'failed';
  if (answer.code !== undefined && NOTHING_WRITTEN_CODES.has(answer.code)) return 'failed';
  return 'unknown';
}

/** A fetch that threw: failed only if the connection was refused, so nothing was sent. */
export function outcomeOfError(error: unknown): Outcome {
  return socketErrorCode(error) === 'ECONNREFUSED' ? 'failed' : 'unknown';
}

/** undici wraps the socket error in `cause` (sometimes an AggregateError of several attempts). */
export function socketErrorCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; errors?: { code?: unknown }[] } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  const codes = new Set((cause?.errors ?? []).map((e) => e.code));
  if (codes.size === 1) {
    const [only] = codes;
    if (typeof only === 'string') return only;
  }
  return (error as { name?: string } | null)?.name ?? 'Error';
}
