// Typed storage errors. They name what went wrong in storage terms; the services
// map them to HTTP statuses. No message ever includes a document's content.

export type StorageErrorCode =
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'VERSION_MISMATCH'
  | 'INVALID_DOCUMENT'
  | 'INVALID_CURSOR'
  | 'DATABASE_UNAVAILABLE'
  | 'DATA_DIR_LOCKED';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class NotFoundError extends StorageError {
  constructor(
    readonly table: string,
    readonly key: string,
  ) {
    super('NOT_FOUND', `${table} has no row with key '${key}'`);
  }
}

export class AlreadyExistsError extends StorageError {
  constructor(
    readonly table: string,
    readonly key: string,
  ) {
    super('ALREADY_EXISTS', `${table} already has a row with key '${key}'`);
  }
}

/** The row changed since the version the caller read (optimistic concurrency). */
export class VersionMismatchError extends StorageError {
  constructor(
    readonly table: string,
    readonly key: string,
    readonly currentVersion: string,
  ) {
    super('VERSION_MISMATCH', `${table} row '${key}' has changed since version was read`);
  }
}

export interface DocumentIssue {
  /** Path of the offending field, e.g. ['credentials', 'password']. */
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** Set when the issue is a business rule (a code such as TIMELINE_END_BEFORE_START) rather than a malformed field. */
  readonly rule?: string;
}

export class InvalidDocumentError extends StorageError {
  constructor(readonly issues: readonly DocumentIssue[]) {
    super('INVALID_DOCUMENT', `invalid document: ${issues.map(formatIssue).join('; ')}`);
  }
}

export class InvalidCursorError extends StorageError {
  constructor() {
    super('INVALID_CURSOR', 'cursor is malformed or was not issued by this service');
  }
}

export class DataDirLockedError extends StorageError {
  constructor(
    readonly dataDir: string,
    readonly holder: string,
  ) {
    super('DATA_DIR_LOCKED', `data directory ${dataDir} is in use by ${holder}; stop that process or set DATABASE_URL`);
  }
}

export function formatIssue(issue: DocumentIssue): string {
  const path = issue.path.length > 0 ? issue.path.join('.') : '(document)';
  return `${path}: ${issue.message}`;
}
