// Building blocks shared by the three document schemas.
import { z } from 'zod';

export const LONE_SURROGATE_MESSAGE =
  'must not contain a lone UTF-16 surrogate (\\ud800-\\udfff): it is not valid Unicode';

/** A primary key: VARCHAR(255), so 1 to 255 characters. */
export const keySchema = z
  .string()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .refine((value) => !value.includes('\u0000'), 'must not contain the NUL character (\\u0000)')
  .refine((value) => !hasLoneSurrogate(value), LONE_SURROGATE_MESSAGE);

/** Free-form JSON object, as the guide's `{...}`. */
export const jsonObjectSchema = z.record(z.string(), z.unknown());

/** Free-form JSON array, as the guide's `[...]`. */
export const jsonArraySchema = z.array(z.unknown());

/** An ISO-8601 timestamp with an offset, e.g. 2025-12-21T06:20:48Z. */
export const timestampSchema = z.iso
  .datetime({ offset: true })
  .refine(
    isStorableInstant,
    'must be a real calendar instant in the years 0001 to 9999, with a UTC offset within ±15:59',
  );

/**
 * What PostgreSQL's timestamptz refuses although the ISO pattern allows it: year
 * 0000, days past the month's end (Feb 30), offsets beyond ±15:59.
 */
export function isStorableInstant(value: string): boolean {
  const match = /^(\d{4})-(\d\d)-(\d\d)T.*?(?:Z|([+-])(\d\d):?(\d\d))$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const calendar = new Date(Date.UTC(2000, month - 1, day));
  calendar.setUTCFullYear(year);
  const realDay =
    calendar.getUTCFullYear() === year && calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
  return year >= 1 && realDay && (match[5] === undefined || Number(match[5]) <= 15);
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one: not encodable as UTF-8. */
export function hasLoneSurrogate(text: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

/** An ISO-8601 calendar date, e.g. 2026-01-31. */
export const calendarDateSchema = z.iso.date();

/** An ISO-8601 date-time with or without an offset: Python's datetime.isoformat() writes none for naive times. */
export const isoDateTimeSchema = z.iso.datetime({ offset: true, local: true });

/**
 * What a row written before the takeover held that has no place in the current
 * document (a Python-era member with no counterpart, a value of the wrong type),
 * kept under the path it had. Deliberately open: it holds whatever was there.
 */
export const legacyMembersSchema = jsonObjectSchema.describe(
  'What a row written by the Python services (or by hand) held that has no place in the current document, kept under ' +
    'the path it had; a write keeps what it is sent here. See docs/taking-over-a-python-database.md',
);

/**
 * A member every write must give that a stored row may lack (a Python-era row
 * without it: needs_completion names it). A body without it is refused, as with
 * a plain required member; a response without it is valid, so zod's serializer
 * (used where a response schema does not compile) never fails on such a row.
 * How: zod's prefault puts `missing` in for an absent member when parsing, and
 * `member` refuses it (so `missing` must be a value it refuses), while encoding
 * a response lets absence through. zod then lists the member as optional in
 * request JSON Schemas, so `description` says it is required; its JSON Schema is
 * the wrapped member's (without the prefault as a default). Typed as the member.
 */
export function requiredOnWrite<T extends z.ZodType>(
  member: T,
  missing: unknown,
  description: string,
): z.ZodType<z.output<T>, z.input<T>> {
  const wrapped = member.optional().prefault(missing as never);
  // Set on this very instance: describe() would make a clone whose JSON Schema zod builds from the prefault again.
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(member, { unrepresentable: 'any' });
  wrapped._zod.toJSONSchema = () => ({ ...jsonSchema, description: `Required on every write. ${description}` });
  requiredOnWriteMembers.add(wrapped);
  return wrapped as unknown as z.ZodType<z.output<T>, z.input<T>>;
}

const requiredOnWriteMembers = new WeakSet<z.ZodType>();

/** Whether a document member was made with requiredOnWrite: a row lacking it is incomplete. */
export const isRequiredOnWrite = (member: z.ZodType): boolean => requiredOnWriteMembers.has(member);

/**
 * Computed on every read, never stored: the members every write needs that the
 * stored document lacks (a Python-era client has no license_type).
 */
export const needsCompletionSchema = z
  .array(z.string())
  .describe(
    'Present only on a stored document that lacks members every write needs (e.g. license_type on a client ' +
      'the Python service wrote): it names them, and they are absent from this response. Computed on read; ' +
      'ignored on writes, which must supply the members',
  );
