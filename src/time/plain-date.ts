/**
 * Calendar dates without a time or zone, as `YYYY-MM-DD` strings.
 *
 * Service days are dates in the office's calendar, not instants: arithmetic on
 * them must never pass through the host time zone, so it is done on UTC
 * midnights only.
 */
export type PlainDate = string;

/** 0 = Sunday … 6 = Saturday, like Date#getDay. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function isPlainDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
}

function toUtcMidnight(date: PlainDate): number {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

function fromUtcMidnight(ms: number): PlainDate {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: PlainDate, days: number): PlainDate {
  return fromUtcMidnight(toUtcMidnight(date) + days * DAY_MS);
}

export function weekdayOf(date: PlainDate): Weekday {
  return new Date(toUtcMidnight(date)).getUTCDay() as Weekday;
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: PlainDate, b: PlainDate): number {
  return Math.round((toUtcMidnight(b) - toUtcMidnight(a)) / DAY_MS);
}

export function compareDates(a: PlainDate, b: PlainDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function yearOf(date: PlainDate): number {
  return Number(date.slice(0, 4));
}

export function monthOf(date: PlainDate): number {
  return Number(date.slice(5, 7));
}

export function dayOfMonth(date: PlainDate): number {
  return Number(date.slice(8, 10));
}

export function makeDate(year: number, month: number, day: number): PlainDate {
  return fromUtcMidnight(Date.UTC(year, month - 1, day));
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Every date from `from` to `to`, both included. */
export function eachDate(from: PlainDate, to: PlainDate): PlainDate[] {
  const out: PlainDate[] = [];
  for (let ms = toUtcMidnight(from), end = toUtcMidnight(to); ms <= end; ms += DAY_MS) {
    out.push(fromUtcMidnight(ms));
  }
  return out;
}
