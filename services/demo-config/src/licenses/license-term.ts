// When a licence starts and ends. It is valid from its start date at 00:00 UTC
// until the same calendar date `termYears` later (exclusive, which is what JWT's
// `exp` means); a start on 29 February ends on 28 February of a common year, so a
// term never runs longer than the years bought.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_TERM_YEARS = 100;

export interface LicenseTerm {
  readonly notBefore: Date;
  readonly expiresAt: Date;
}

/** Throws RangeError for a start that is not a real calendar date (from 1970 on) or a term outside 1..100 years. */
export function licenseTerm(startDate: string, termYears: number): LicenseTerm {
  const match = ISO_DATE.exec(startDate);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`the licence start date must be a calendar date written YYYY-MM-DD, not '${startDate}'`);
  }
  if (!Number.isInteger(termYears) || termYears < 1 || termYears > MAX_TERM_YEARS) {
    throw new RangeError(`the licence term must be a whole number of years from 1 to ${MAX_TERM_YEARS}`);
  }
  const endYear = year + termYears;
  return {
    notBefore: new Date(Date.UTC(year, month - 1, day)),
    expiresAt: new Date(Date.UTC(endYear, month - 1, Math.min(day, daysInMonth(endYear, month)))),
  };
}

/** `month` is 1-based; day 0 of the next month is the last day of this one. */
function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
