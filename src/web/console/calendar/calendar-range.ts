/**
 * Which dates the calendar page shows, from its query: the agenda (default)
 * shows a month and the next (from today when no month is asked for: what is
 * coming first), the month grid one month; both move a month at a time. A month in the URL that is not one falls back to this month (a
 * hand-edited URL gets a page, not an error).
 */
import { daysInMonth, makeDate, type PlainDate } from '../../../time/plain-date';

export type CalendarMode = 'agenda' | 'month';

export interface CalendarRange {
  mode: CalendarMode;
  /** The agenda without a month asked for: it starts today. */
  fromToday: boolean;
  /** `YYYY-MM`, the first month shown. */
  month: string;
  from: PlainDate;
  to: PlainDate;
  prevMonth: string;
  nextMonth: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** `today` is the office's local date. */
export function calendarRange(query: { view?: unknown; month?: unknown }, today: PlainDate): CalendarRange {
  const mode: CalendarMode = query.view === 'month' ? 'month' : 'agenda';
  const asked = typeof query.month === 'string' ? MONTH.exec(query.month) : null;
  const year = asked && Number(asked[1]) >= 2000 && Number(asked[1]) <= 2100 ? Number(asked[1]) : Number(today.slice(0, 4));
  const month = asked && year === Number(asked[1]) ? Number(asked[2]) : Number(today.slice(5, 7));
  const first = makeDate(year, month, 1);
  const lastMonth = mode === 'month' ? first : makeDate(year, month + 1, 1);
  const to = makeDate(Number(lastMonth.slice(0, 4)), Number(lastMonth.slice(5, 7)), daysInMonth(Number(lastMonth.slice(0, 4)), Number(lastMonth.slice(5, 7))));
  const fromToday = mode === 'agenda' && asked === null;
  return { mode, fromToday, month: first.slice(0, 7), from: fromToday ? today : first, to, prevMonth: makeDate(year, month - 1, 1).slice(0, 7), nextMonth: makeDate(year, month + 1, 1).slice(0, 7) };
}

/** The calendar URL of an office for a view and month. */
export function calendarUrl(officeId: string, mode: CalendarMode, month?: string): string {
  const query = new URLSearchParams();
  if (mode === 'month') query.set('view', 'month');
  if (month !== undefined) query.set('month', month);
  const search = query.toString();
  return `/admin/o/${encodeURIComponent(officeId)}/calendar${search ? `?${search}` : ''}`;
}
