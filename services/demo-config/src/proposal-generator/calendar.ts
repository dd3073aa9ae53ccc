// Calendar dates as whole days since 1970-01-01 (UTC), so date arithmetic is
// integer arithmetic and never depends on the process's time zone or clock.

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a YYYY-MM-DD date; throws a RangeError for anything else (2026-02-30 included). */
export function parseIsoDate(date: string): number {
  const match = ISO_DATE.exec(date);
  if (match === null) throw new RangeError(`not a calendar date YYYY-MM-DD: '${date}'`);
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const ms = Date.UTC(year, month - 1, day);
  if (formatIsoDate(ms / DAY_MS) !== date) throw new RangeError(`not a calendar date: '${date}'`);
  return ms / DAY_MS;
}

export function isCalendarDate(date: string): boolean {
  try {
    parseIsoDate(date);
    return true;
  } catch {
    return false;
  }
}

export function formatIsoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

export function isWeekday(day: number): boolean {
  return weekday(day) < 5;
}

export function mondayOf(day: number): number {
  return day - weekday(day);
}

/** The first Monday strictly after `day`. */
export function nextMondayAfter(day: number): number {
  return mondayOf(day) + 7;
}
