// Exact arithmetic for hours and money. Hours carry at most two decimals (a KPI
// is 0.5 h), so sums and products go through integer hundredths of an hour:
// adding 0.1 h a thousand times must give 100 h, not 99.99999999999986.
import type { Cents } from './quote-types.js';

/** Hours (at most two decimals) as an integer count of hundredths. */
export function toHundredths(hours: number): number {
  return Math.round(hours * 100);
}

/** Hundredths of an hour back to hours: the nearest double to the two-decimal value. */
export function fromHundredths(hundredths: number): number {
  return hundredths / 100;
}

/** `numerator / denominator` rounded up, both non-negative integers, denominator > 0. */
export function ceilDiv(numerator: number, denominator: number): number {
  const remainder = numerator % denominator;
  return (numerator - remainder) / denominator + (remainder === 0 ? 0 : 1);
}

/** Hours times an hourly rate, in cents, rounded half up to the cent (exact integer arithmetic). */
export function costOfHours(hours: number, ratePerHour: Cents): Cents {
  const centiCents = toHundredths(hours) * ratePerHour;
  const remainder = centiCents % 100;
  return (centiCents - remainder) / 100 + (remainder >= 50 ? 1 : 0);
}

/** True when `value` is a finite number with at most two decimals (0.1, 32500, 66.67). */
export function hasAtMostTwoDecimals(value: number): boolean {
  // The nearest double to a two-decimal number survives a round trip through its two-decimal text.
  return Number.isFinite(value) && Number(value.toFixed(2)) === value;
}
