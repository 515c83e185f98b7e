/**
 * Fast day-by-day walks over PlainDates for the expansion's inner loops.
 *
 * `eachDate`/`addDays` in time/plain-date.ts go through `Date#toISOString` for
 * every day, which dominated a 200-office expansion (~1.4 µs a day). Walking
 * year/month/day integers and formatting with padding gives the same dates
 * without Date objects, still without any host time zone.
 */
import { daysInMonth, weekdayOf, type PlainDate, type Weekday } from '../time/plain-date';

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Calls `visit` for every date from `from` to `to` (inclusive) with its weekday,
 * in order. Nothing happens when `to` is before `from`.
 */
export function walkDates(from: PlainDate, to: PlainDate, visit: (date: PlainDate, weekday: Weekday) => void): void {
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  let day = Number(from.slice(8, 10));
  let monthLength = daysInMonth(year, month);
  let weekday = weekdayOf(from);
  let yearMonth = `${year}-${pad2(month)}-`;
  for (;;) {
    const date = yearMonth + pad2(day);
    // Same-length YYYY-MM-DD strings compare like the dates they name.
    if (date > to) return;
    visit(date, weekday);
    weekday = ((weekday + 1) % 7) as Weekday;
    day += 1;
    if (day > monthLength) {
      day = 1;
      month += 1;
      if (month > 12) {
        month = 1;
        year += 1;
      }
      monthLength = daysInMonth(year, month);
      yearMonth = `${year}-${pad2(month)}-`;
    }
  }
}

/** The dates from `from` to `to` (inclusive) whose weekday is in `weekdays`. */
export function datesOnWeekdays(from: PlainDate, to: PlainDate, weekdays: ReadonlySet<number>): PlainDate[] {
  const out: PlainDate[] = [];
  walkDates(from, to, (date, weekday) => {
    if (weekdays.has(weekday)) out.push(date);
  });
  return out;
}
