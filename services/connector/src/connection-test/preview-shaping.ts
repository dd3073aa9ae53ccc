// The pure half of preview: driver values become bounded JSON. Each value is cut
// at 4 KiB (of UTF-8, or of bytes for binary) and named in `cut`; binary values
// are base64 with their full length; rows stop before their JSON passes 1 MiB.
import type { NormalisedType } from './normalised-types.js';

export const MAX_VALUE_BYTES = 4 * 1024;
export const MAX_PREVIEW_BYTES = 1024 * 1024;

export interface PreviewColumn {
  readonly name: string;
  readonly type: NormalisedType;
}

export interface CutValue {
  readonly row: number;
  readonly column: string;
  /** The value's whole size in bytes, when the source said it. */
  readonly bytes: number | null;
}

export interface Preview {
  readonly columns: PreviewColumn[];
  readonly rows: Record<string, unknown>[];
  /** Rows were left out to stay within 1 MiB, or a value was cut (see cut). */
  readonly truncated: boolean;
  readonly cut: CutValue[];
}

/** A raw row: each column's value, and for binary the whole length when the query read it apart. */
export interface RawRow {
  readonly values: readonly unknown[];
  readonly lengths?: readonly (number | null | undefined)[];
}

const encoder = new TextEncoder();

/** The first `max` bytes of `text` in UTF-8, never splitting a character. */
function cutText(text: string, max: number): { text: string; bytes: number } | undefined {
  const bytes = encoder.encode(text);
  if (bytes.length <= max) return undefined;
  let end = max;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return { text: new TextDecoder().decode(bytes.subarray(0, end)), bytes: bytes.length };
}

type Shaped = { value: unknown; cutBytes?: number | null };

function shapeText(text: string): Shaped {
  const cut = cutText(text, MAX_VALUE_BYTES);
  return cut ? { value: cut.text, cutBytes: cut.bytes } : { value: text };
}

/** One value as JSON; cutBytes set when it was cut (null when its whole size is unknown). */
export function shapeValue(value: unknown, type: NormalisedType, wholeLength?: number | null): Shaped {
  if (value === null || value === undefined) return { value: null };
  if (value instanceof Uint8Array) {
    const length = wholeLength ?? value.length;
    const kept = value.subarray(0, MAX_VALUE_BYTES);
    const shaped = { value: { base64: Buffer.from(kept).toString('base64'), length } };
    return length > kept.length ? { ...shaped, cutBytes: length } : shaped;
  }
  if (value instanceof Date) return { value: Number.isNaN(value.getTime()) ? null : value.toISOString() };
  if (typeof value === 'bigint') return { value: value.toString() };
  if (typeof value === 'number') {
    if (type === 'boolean') return { value: value !== 0 };
    return { value: Number.isFinite(value) ? value : String(value) };
  }
  if (typeof value === 'boolean') return { value };
  if (typeof value === 'string') {
    if (type === 'json') {
      // Read as text to bound it at the source: whole JSON goes back as JSON, a cut one stays text.
      const cut = cutText(value, MAX_VALUE_BYTES);
      if (cut) return { value: cut.text, cutBytes: wholeLength ?? null };
      try {
        return { value: JSON.parse(value) as unknown };
      } catch {
        return { value };
      }
    }
    const shaped = shapeText(value);
    // A text the query cut at the source: its whole size is unknown unless the source said it.
    return shaped.cutBytes === undefined ? shaped : { ...shaped, cutBytes: wholeLength ?? shaped.cutBytes };
  }
  const textOf = JSON.stringify(value);
  if (typeof textOf !== 'string') return { value: null };
  const cut = cutText(textOf, MAX_VALUE_BYTES);
  return cut ? { value: cut.text, cutBytes: cut.bytes } : { value };
}

/** Rows shaped and bounded: at most MAX_PREVIEW_BYTES of row JSON. */
export function shapePreview(columns: readonly PreviewColumn[], raw: readonly RawRow[]): Preview {
  const rows: Record<string, unknown>[] = [];
  const cut: CutValue[] = [];
  let size = 2;
  let dropped = false;
  for (const [index, row] of raw.entries()) {
    const shaped: Record<string, unknown> = {};
    const cutHere: CutValue[] = [];
    columns.forEach((column, position) => {
      const result = shapeValue(row.values[position], column.type, row.lengths?.[position]);
      shaped[column.name] = result.value;
      if (result.cutBytes !== undefined) cutHere.push({ row: index, column: column.name, bytes: result.cutBytes });
    });
    const bytes = Buffer.byteLength(JSON.stringify(shaped)) + 1;
    if (size + bytes > MAX_PREVIEW_BYTES) {
      dropped = true;
      break;
    }
    size += bytes;
    rows.push(shaped);
    cut.push(...cutHere);
  }
  return { columns: [...columns], rows, truncated: dropped || cut.length > 0, cut };
}
