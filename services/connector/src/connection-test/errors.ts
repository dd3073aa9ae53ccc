// The typed outcome of a failed connection test. Messages are built here from
// driver error codes and our own words, never from a driver's message (which may
// quote the connection string), so they cannot carry a secret.

export const connectionErrorCodes = [
  'auth_failed',
  'unreachable',
  'timeout',
  'tls',
  'not_found',
  'blocked_by_policy',
  'invalid_config',
] as const;
export type ConnectionErrorCode = (typeof connectionErrorCodes)[number];

export class ConnectionTestError extends Error {
  constructor(
    readonly code: ConnectionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectionTestError';
  }
}

/** The `code` of an error, or of the first error in its cause chain (or AggregateError list) that has one. */
export function errorCodeOf(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof error !== 'object' || error === null) return undefined;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && code) return code;
  if (typeof code === 'number') return String(code);
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  const fromCause = errorCodeOf(cause, depth + 1);
  if (fromCause) return fromCause;
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const found = errorCodeOf(inner, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** A ConnectionTestError anywhere in the cause chain (e.g. raised by our DNS lookup inside a driver). */
export function findConnectionTestError(error: unknown, depth = 0): ConnectionTestError | undefined {
  if (error instanceof ConnectionTestError) return error;
  if (depth > 5 || typeof error !== 'object' || error === null) return undefined;
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  const found = findConnectionTestError(cause, depth + 1);
  if (found) return found;
  if (Array.isArray(errors))
    for (const inner of errors) {
      const nested = findConnectionTestError(inner, depth + 1);
      if (nested) return nested;
    }
  return undefined;
}

const TLS_CODE = new RegExp(
  '^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|' +
    'SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$|EPROTO$)',
);
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  'ECONNABORTED',
]);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Socket-level failures every driver shares; undefined when the code is not one of them. */
export function networkFailure(code: string | undefined, where: string): ConnectionTestError | undefined {
  if (code === undefined) return undefined;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new ConnectionTestError('unreachable', `${where}: the host name does not resolve (${code})`);
  if (UNREACHABLE_CODES.has(code))
    return new ConnectionTestError('unreachable', `${where}: the connection failed (${code})`);
  if (TIMEOUT_CODES.has(code)) return new ConnectionTestError('timeout', `${where}: no answer in time (${code})`);
  if (TLS_CODE.test(code)) return new ConnectionTestError('tls', `${where}: the TLS handshake failed (${code})`);
  return undefined;
}

/** A safe label for an error we cannot classify: its code or class name, never its message. */
export function errorLabel(error: unknown): string {
  const code = errorCodeOf(error);
  if (code) return code;
  return error instanceof Error ? error.name : typeof error;
}
