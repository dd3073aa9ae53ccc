// Opaque keyset cursors: the (created_at, key) of the last row of a page, so the
// next page starts strictly after it and concurrent inserts never shift it.
import { InvalidCursorError } from '../errors.js';
import { hasLoneSurrogate, isStorableInstant } from '../schemas/common.js';

export interface CursorPosition {
  /** created_at as ISO-8601 with microseconds, or null for a row without one. */
  readonly createdAt: string | null;
  readonly key: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.key])).toString('base64url');
}

/** Exactly what the repositories produce: PostgreSQL's microseconds, in UTC. */
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      (value[0] === null ||
        (typeof value[0] === 'string' && TIMESTAMP.test(value[0]) && isStorableInstant(value[0]))) &&
      typeof value[1] === 'string' &&
      // A forged key PostgreSQL could not compare with is as invalid as a forged shape.
      !value[1].includes('\u0000') &&
      !hasLoneSurrogate(value[1])
    ) {
      return { createdAt: value[0] as string | null, key: value[1] };
    }
  } catch {
    // fall through: not base64url JSON
  }
  throw new InvalidCursorError();
}
