// Money is integer cents everywhere inside the service. These are the only
// conversions: to the API's dollars (JSON numbers with at most two decimals) and
// to the text every document format shows.
import type { Cents, CentsRange } from './quote-types.js';

/** Dollars as the API writes them: 3330 -> 33.3. Exact, as cents / 100 is the nearest double to the decimal. */
export function centsToDollars(cents: Cents): number {
  return cents / 100;
}

/** The API's dollars back to cents: 33.3 -> 3330 (rounded, so 0.1 + 0.2 style drift never shows). */
export function dollarsToCents(dollars: number): Cents {
  return Math.round(dollars * 100);
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** "$96,070" for whole dollars, "$33.30" otherwise; "-$5" for negatives. */
export function formatUsd(cents: Cents): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  const dollars = grouped.format(Math.trunc(absolute / 100));
  const rest = absolute % 100;
  return `${sign}$${dollars}${rest === 0 ? '' : `.${String(rest).padStart(2, '0')}`}`;
}

/** "$123,720 - $128,970", or one amount when the range is a single value. */
export function formatUsdRange(range: CentsRange): string {
  return range.min === range.max ? formatUsd(range.min) : `${formatUsd(range.min)} - ${formatUsd(range.max)}`;
}
