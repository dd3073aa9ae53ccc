// The licence's validity window: from the start date, for whole calendar years.
import { describe, expect, it } from 'vitest';
import { licenseTerm } from '../../src/licenses/license-term.js';

describe('licenseTerm', () => {
  it.each([
    ['2026-01-05', 3, '2029-01-05'],
    ['2026-01-05', 1, '2027-01-05'],
    ['2026-12-31', 1, '2027-12-31'],
    // 29 February has no twin in a common year: the term ends on the 28th, never runs into March.
    ['2028-02-29', 1, '2029-02-28'],
    ['2028-02-29', 4, '2032-02-29'],
    ['2027-02-28', 1, '2028-02-28'],
    ['2027-03-01', 5, '2032-03-01'],
  ])('%s for %i years ends at 00:00 UTC on %s', (start, years, end) => {
    const term = licenseTerm(start, years);
    expect(term.notBefore.toISOString()).toBe(`${start}T00:00:00.000Z`);
    expect(term.expiresAt.toISOString()).toBe(`${end}T00:00:00.000Z`);
  });

  const notDates = ['2026-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-1-5', '1969-12-31', '2026-01-05T00Z'];
  it.each(notDates)('refuses the start date %j', (start) => {
    expect(() => licenseTerm(start, 1)).toThrow(RangeError);
  });
  it('refuses an empty start date', () => {
    expect(() => licenseTerm('', 1)).toThrow(RangeError);
  });

  it.each([0, -1, 1.5, 101, Number.NaN])('refuses a term of %d years', (years) => {
    expect(() => licenseTerm('2026-01-05', years)).toThrow(RangeError);
  });
});
