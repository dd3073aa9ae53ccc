// Migration failures as one clear line each; the CLI maps `kind` to an exit code.

export type MigrationErrorKind =
  /** The database could not be reached or the login failed. */
  | 'connection'
  /** A lock was not granted within the lock timeout. */
  | 'lock-timeout'
  /** The database user lacks a privilege the migration needs. */
  | 'permission'
  /** A destructive step needs --yes, or the target makes no sense for the verb. */
  | 'refused'
  /** The database does not look like what the migration history says. */
  | 'drift'
  /** A migration statement failed for another reason. */
  | 'failed';

export class MigrationError extends Error {
  constructor(
    readonly kind: MigrationErrorKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

interface PgLikeError {
  code?: string;
  message?: string;
}

export function describeConnectionError(error: unknown, location: string): string {
  const e = error as PgLikeError & { errors?: PgLikeError[] };
  const code = e.code ?? e.errors?.[0]?.code;
  const reason =
    code === 'ECONNREFUSED'
      ? 'connection refused: is PostgreSQL running and listening there?'
      : code === '28P01' || code === '28000'
        ? 'authentication failed: check the user and password in DATABASE_URL'
        : code === '3D000'
          ? 'the database does not exist: create it first (createdb)'
          : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? 'host name not found'
            : (e.message ?? e.errors?.[0]?.message ?? String(error));
  return `cannot connect to ${location}: ${reason}`;
}

export function pgErrorCode(error: unknown): string | undefined {
  return (error as PgLikeError | undefined)?.code;
}
