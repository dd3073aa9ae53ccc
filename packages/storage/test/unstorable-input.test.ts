// Input that passes a JSON parser but not PostgreSQL: lone surrogates, NUL,
// impossible instants. Each is refused as invalid input (a 400 upstream), never
// sent to the database to fail there as a 500. Found by the OpenAPI fuzz.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidCursorError, InvalidDocumentError, keySchema, timestampSchema } from '../src/index.js';
import { decodeCursor, encodeCursor } from '../src/repositories/cursor.js';
import { findUnstorableText, validateDocument } from '../src/repositories/validate-document.js';

const cursorOf = (createdAt: string, key: string) => encodeCursor({ createdAt, key });

describe('text PostgreSQL cannot store', () => {
  it('refuses lone surrogates in keys, and keeps proper pairs', () => {
    expect(keySchema.safeParse('c\ud800').success).toBe(false);
    expect(keySchema.safeParse('\udc00c').success).toBe(false);
    expect(keySchema.safeParse('emoji-\ud83d\ude00').success).toBe(true);
  });

  it('names the path of a lone surrogate or NUL in a document, member names included', () => {
    expect(findUnstorableText({ a: ['ok', { b: 'x\ud800' }] })).toMatchObject({
      path: ['a', 1, 'b'],
      message: expect.stringContaining('surrogate') as string,
    });
    expect(findUnstorableText({ a: { 'bad\u0000name': 1 } })).toMatchObject({
      path: ['a', 'bad\u0000name'],
      message: expect.stringContaining('NUL') as string,
    });
    expect(findUnstorableText({ fine: ['\ud83d\ude00', 1, null] })).toBeUndefined();
    expect(() => validateDocument(z.record(z.string(), z.unknown()), { preferences: { a: '\ud800' } })).toThrow(
      InvalidDocumentError,
    );
  });

  it('walks any nesting depth without overflowing the stack', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnstorableText(deep)?.path).toHaveLength(100_000);
  });
});

describe('instants PostgreSQL cannot hold', () => {
  // Refused: year 0000, days past the month, offsets beyond ±15:59; the edges just inside them pass.
  it.each([
    ['0000-01-01T00:00:00Z', false],
    ['2025-02-30T00:00:00Z', false],
    ['2025-02-29T00:00:00Z', false],
    ['1970-01-01T00:00:00+16:00', false],
    ['0001-01-01T00:00:00Z', true],
    ['2024-02-29T23:59:59.999999Z', true],
    ['1970-01-01T00:00:00+15:59', true],
    ['9999-12-31T23:59:59-15:00', true],
  ])('%s is an instant PostgreSQL can hold: %s', (value, storable) => {
    expect(timestampSchema.safeParse(value).success).toBe(storable);
  });

  it('refuses forged cursors with an impossible instant or a NUL or lone surrogate in the key', () => {
    expect(decodeCursor(encodeCursor({ createdAt: '2025-12-21T06:20:48.123456Z', key: 'k' }))).toEqual({
      createdAt: '2025-12-21T06:20:48.123456Z',
      key: 'k',
    });
    for (const cursor of [
      cursorOf('0000-01-01T00:00:00.000000Z', 'a'),
      cursorOf('2025-02-30T00:00:00.000000Z', 'a'),
      cursorOf('2025-12-21T06:20:48.123456Z', '\u0000'),
      cursorOf('2025-12-21T06:20:48.123456Z', '\ud800'),
    ]) {
      expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
    }
  });
});
