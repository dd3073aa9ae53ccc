// Errors that mean "the database cannot be reached or just dropped us", as
// opposed to errors in what was asked of it. Services answer these with 503.

const UNAVAILABLE_CODES = new Set([
  // Node sockets
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'EPIPE',
  // PostgreSQL: login, missing database, shutting down, terminated, cannot connect now, connection failures
  '28P01', '28000', '3D000', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006',
]);

const UNAVAILABLE_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|connection error|Client was closed/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  if (Array.isArray(e.errors)) return e.errors.some(isDatabaseUnavailable); // AggregateError of a dual-stack connect
  return typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message);
}
