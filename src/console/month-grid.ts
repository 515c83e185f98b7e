/**
 * Month grids, Monday first: weeks × 7 days, days outside the month kept (as
 * wall calendars show them) but marked. Pure date arithmetic on PlainDates,
 * which never touches the host zone.
 */
import { addDays, daysInMonth, makeDate, weekdayOf, type PlainDate } from '../time/plain-date';

export interface GridCell {
  date: PlainDate;
  /** Day of the month, 1–31. */
  day: number;
  /** False for the leading and trailing days of the neighbouring months. */
  inMonth: boolean;
}

/** `YYYY-MM` of every month touched by [from, to], in order. */
export function monthsBetween(from: PlainDate, to: PlainDate): string[] {
  const months: string[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  const last = to.slice(0, 7);
  for (;;) {
    const key = makeDate(year, month, 1).slice(0, 7);
    if (key > last) break;
    months.push(key);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

/** The weeks (Monday to Sunday) covering `month` (`YYYY-MM`): 4 to 6 of them. */
export function monthWeeks(month: string): GridCell[][] {
  const year = Number(month.slice(0, 4));
  const monthNumber = Number(month.slice(5, 7));
  const first = makeDate(year, monthNumber, 1);
  const last = makeDate(year, monthNumber, daysInMonth(year, monthNumber));
  // weekdayOf: 0 = Sunday; days back to the Monday on or before the 1st.
  let date = addDays(first, -((weekdayOf(first) + 6) % 7));
  const weeks: GridCell[][] = [];
  while (date <= last) {
    const week: GridCell[] = [];
    for (let i = 0; i < 7; i += 1) {
      week.push({ date, day: Number(date.slice(8, 10)), inMonth: date.slice(0, 7) === month });
      date = addDays(date, 1);
    }
    weeks.push(week);
  }
  return weeks;
}
