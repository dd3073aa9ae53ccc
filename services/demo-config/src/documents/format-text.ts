// Numbers, dates and labels as every format prints them. Money goes through
// the generator's money.ts only; these are the non-money figures beside it.
import type { HoursRange } from '../proposal-generator/quote-types.js';

const hoursFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** 0.5 -> "0.5", 1200 -> "1,200". */
export function formatHours(hours: number): string {
  return hoursFormat.format(hours);
}

/** "40 - 60", the same separator as a money range. */
export function formatHoursRange(range: HoursRange): string {
  return range.min === range.max ? formatHours(range.min) : `${formatHours(range.min)} - ${formatHours(range.max)}`;
}

/** Adds days to an ISO calendar date in UTC, so no local time zone shifts it. */
export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** "SCOR", "SCOR and CRM", "SCOR, CRM and Sales Analytics". */
export function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatHours(count)} ${count === 1 ? one : many}`;
}

/** A free-form JSON key as a label: "managed_services" -> "Managed services". */
export function humanizeKey(key: string): string {
  const spaced = key.replace(/[_-]+/g, ' ').trim();
  return spaced === '' ? key : spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** Free-form JSON as one line of text: strings as they are, the rest as compact JSON. */
export function describeJson(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value);
}
