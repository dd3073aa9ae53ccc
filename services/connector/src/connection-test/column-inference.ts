// Column types of files and JSON, inferred from their values: the narrowest type
// that holds every value, and whether any is empty. source_type is the inferred
// name; type the normalised one (a date with a time of day is a timestamp).
import type { DiscoveredColumn } from './discovery.js';
import type { NormalisedType } from './normalised-types.js';

export type InferredType = 'integer' | 'number' | 'boolean' | 'date' | 'string' | 'object' | 'array';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The type of one value, or undefined for an empty one (null, undefined, ''). */
function typeOfValue(value: unknown): InferredType | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (value instanceof Date) return 'date';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'bigint') return 'integer';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (/^[+-]?\d+$/.test(trimmed)) return 'integer';
    if (/^[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:e[+-]?\d+)?$/i.test(trimmed)) return 'number';
    if (/^(?:true|false)$/i.test(trimmed)) return 'boolean';
    if (ISO_DATE.test(trimmed) && !Number.isNaN(Date.parse(trimmed))) return 'date';
    return 'string';
  }
  return 'object';
}

/** A date value that carries a time of day (a spreadsheet date at midnight UTC is a plain date). */
function hasTimeOfDay(value: unknown): boolean {
  if (value instanceof Date) return value.getTime() % 86_400_000 !== 0;
  return typeof value === 'string' && !DATE_ONLY.test(value.trim());
}

const NORMALISED: Record<InferredType, NormalisedType> = {
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  date: 'date',
  string: 'string',
  object: 'json',
  array: 'json',
};

export class ColumnInference {
  private type: InferredType | undefined;
  private empty = false;
  private timeOfDay = false;

  add(value: unknown): void {
    const next = typeOfValue(value);
    if (next === undefined) {
      this.empty = true;
      return;
    }
    if (next === 'date' && hasTimeOfDay(value)) this.timeOfDay = true;
    if (this.type === undefined || this.type === next) this.type = next;
    else if ((this.type === 'integer' && next === 'number') || (this.type === 'number' && next === 'integer'))
      this.type = 'number';
    else this.type = 'string';
  }

  markMissing(): void {
    this.empty = true;
  }

  result(name: string): DiscoveredColumn {
    const sourceType = this.type ?? 'string';
    const type = sourceType === 'date' && this.timeOfDay ? 'timestamp' : NORMALISED[sourceType];
    return {
      name,
      source_type: sourceType,
      type,
      nullable: this.empty || this.type === undefined,
      primary_key: false,
    };
  }
}
