// Errors that mean "the database cannot be reached, dropped us, or stopped
// answering", as opposed to errors in what was asked of it. Services answer
// these with 503 or 504 and Retry-After.
//
// The kind tells a client what it may assume about a change it asked for:
// - 'unreachable': no connection could be had (refused, not accepting
//   connections yet, pool wait timed out, login refused), so no statement was
//   sent and nothing changed;
// - 'connection-lost': a connection broke while in use (backend terminated,
//   server restarted, socket reset), so a statement may have committed;
// - 'no-answer': the client gave up waiting for a statement's answer
//   (query_timeout), so it may still commit.
// When in doubt an error is 'connection-lost': claiming "nothing changed"
// wrongly is the one mistake a client cannot recover from.

export type Unavailability = 'unreachable' | 'connection-lost' | 'no-answer';

/** Errors raised only while a connection is being made, before any statement. */
const UNREACHABLE_CODES = new Set([
  // Node sockets and DNS, at connect
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  // PostgreSQL at login: bad password, no such role or database, starting up or
  // shutting down or in recovery, too many connections, cannot establish
  '28P01',
  '28000',
  '3D000',
  '57P03',
  '53300',
  '08001',
  '08004',
]);

/** Errors of a connection that was made and then broke, or of a socket in any phase. */
const CONNECTION_LOST_CODES = new Set([
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  'EPIPE',
  // admin_shutdown (pg_terminate_backend, fast/immediate shutdown), crash_shutdown, connection exceptions
  '57P01',
  '57P02',
  '08000',
  '08003',
  '08006',
  '08007',
]);

/** node-postgres and pg-pool say these in words only; the unreachable ones are pg-pool's connect timeouts. */
const UNREACHABLE_MESSAGES =
  /^(timeout exceeded when trying to connect|Connection terminated due to connection timeout)$/i;
const CONNECTION_LOST_MESSAGES = /Connection terminated|connection error|Client was closed|not queryable/i;
const NO_ANSWER_MESSAGES = /^Query read timeout$/i;
/**
 * PgBouncer says everything as SQLSTATE 08P01; FATAL means it closes the client's
 * connection. These before a server session was ever given to the statement;
 * the rest ("server conn crashed?", "invalid server parameter", query_timeout...)
 * while one was in use.
 */
const POOLER_UNREACHABLE_MESSAGES = new RegExp(
  '^(pgbouncer cannot connect to server|server login has been failing|no more connections allowed|' +
    'query_wait_timeout|unsupported startup parameter|pgbouncer is shutting down|server shutting down)',
  'i',
);

/** What kind of outage the error shows, or undefined when it is not one. */
export function databaseUnavailability(error: unknown): Unavailability | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; message?: unknown; errors?: unknown; severity?: unknown };
  if (e.code === '08P01' && e.severity === 'FATAL' && typeof e.message === 'string') {
    return POOLER_UNREACHABLE_MESSAGES.test(e.message) ? 'unreachable' : 'connection-lost';
  }
  if (typeof e.code === 'string') {
    if (UNREACHABLE_CODES.has(e.code)) return 'unreachable';
    if (CONNECTION_LOST_CODES.has(e.code)) return 'connection-lost';
  }
  if (Array.isArray(e.errors)) {
    // AggregateError of a dual-stack connect: unreachable only if every attempt was.
    const kinds = e.errors.map(databaseUnavailability);
    if (kinds.length > 0 && kinds.every((kind) => kind === 'unreachable')) return 'unreachable';
    if (kinds.some((kind) => kind !== undefined)) return 'connection-lost';
  }
  if (typeof e.message !== 'string') return undefined;
  if (UNREACHABLE_MESSAGES.test(e.message)) return 'unreachable';
  if (NO_ANSWER_MESSAGES.test(e.message)) return 'no-answer';
  if (CONNECTION_LOST_MESSAGES.test(e.message)) return 'connection-lost';
  return undefined;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return databaseUnavailability(error) !== undefined;
}
