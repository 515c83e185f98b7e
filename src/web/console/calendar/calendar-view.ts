/**
 * The calendar page's data from console/calendar.ts's view: the agenda by
 * date (closed days, then each opening with its service days × services table
 * and its announcements per channel) and the month grids, with the words of
 * the request's language and, for editors, the links to change an opening.
 * Every text stays text: the view escapes it (a note may hold anything).
 */
import type { AgendaItem, CalendarMonthView, CalendarView, ClosedDayView, OpeningView } from '../../../console/calendar';
import type { Translate } from '../../i18n';

export interface ClosedView {
  kindLabel: string;
  reason: string;
}

export interface OpeningPageView {
  anchor: string;
  releaseId: string;
  cancelled: boolean;
  cancelReason: string | null;
  originLabel: string;
  heading: string;
  opensAt: { iso: string; text: string };
  closesAt: { iso: string; text: string } | null;
  note: string | null;
  serviceDays: { dateLabel: string; date: string; counts: { value: string; none: boolean }[]; total: number }[];
  /** A totals row under the days, when there is more than one. */
  showTotals: boolean;
  totals: { value: string; none: boolean }[];
  grandTotal: number;
  removedDays: string | null;
  announcements: {
    ruleId: string;
    kindLabel: string;
    dueAt: { iso: string; text: string };
    channels: { label: string; state: string; stateLabel: string; link: string | null; dryRun: boolean }[];
  }[];
  /** `rule`: a recurring opening's rule, changed on the rules page (its times and counts are the rule's). */
  links: { change: string | null; counts: string | null; cancel: string | null; rule?: string | null } | null;
}

export interface AgendaDayView {
  date: string;
  dateLabel: string;
  closed: ClosedView[];
  openings: OpeningPageView[];
}

export interface MonthGridView {
  month: string;
  label: string;
  weekdays: { short: string; long: string }[];
  weeks: {
    date: string;
    day: number;
    shown: boolean;
    today: boolean;
    weekend: boolean;
    closed: ClosedView | null;
    openings: { anchor: string; text: string; cancelled: boolean }[];
    serviceTotal: number | null;
  }[][];
}

/** A fragment id from a release id (`mingguan@2026-11-27` → `o-mingguan-2026-11-27`). */
export function openingAnchor(releaseId: string): string {
  return `o-${releaseId.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

export function closedView(closed: ClosedDayView, t: Translate): ClosedView {
  return { kindLabel: t(`calendar.closed.${closed.kind}`), reason: closed.reason };
}

/** Links to the forms that change an opening; null when the user may not edit. */
export type EditLinks = (opening: OpeningView) => OpeningPageView['links'];

export function agendaDays(view: CalendarView, t: Translate, editLinks: EditLinks): AgendaDayView[] {
  const days: AgendaDayView[] = [];
  for (const item of view.agenda) {
    let day = days[days.length - 1];
    if (!day || day.date !== item.date) {
      day = { date: item.date, dateLabel: item.dateLabel, closed: [], openings: [] };
      days.push(day);
    }
    addItem(day, item, view, t, editLinks);
  }
  return days;
}

function addItem(day: AgendaDayView, item: AgendaItem, view: CalendarView, t: Translate, editLinks: EditLinks): void {
  if (item.kind === 'closed') day.closed.push(closedView(item.closed, t));
  else day.openings.push(openingPageView(item.opening, view, t, editLinks));
}

function countCell(count: number | null): { value: string; none: boolean } {
  return count === null ? { value: '—', none: true } : { value: String(count), none: false };
}

function openingPageView(opening: OpeningView, view: CalendarView, t: Translate, editLinks: EditLinks): OpeningPageView {
  const cancelled = opening.status === 'cancelled';
  return {
    anchor: openingAnchor(opening.releaseId),
    releaseId: opening.releaseId,
    cancelled,
    cancelReason: opening.cancelReason,
    originLabel: t(`calendar.origin.${opening.origin}`),
    heading: t('calendar.opening', { time: opening.opensAtTime }),
    opensAt: opening.opensAt,
    closesAt: opening.closesAt,
    note: opening.note,
    serviceDays: opening.serviceDays.map((day) => ({ date: day.date, dateLabel: day.dateLabel, counts: day.counts.map((count) => countCell(count.count)), total: day.total })),
    showTotals: opening.serviceDays.length > 1,
    totals: opening.totals.map((count) => countCell(count.count)),
    grandTotal: opening.totals.reduce((sum, count) => sum + (count.count ?? 0), 0),
    removedDays: opening.removedDays.length === 0 ? null : opening.removedDays.map((day) => `${day.dateLabel} (${day.reason})`).join('; '),
    announcements: opening.announcements.map((announcement) => ({
      ruleId: announcement.ruleId,
      kindLabel: t(`calendar.kind.${announcement.kind}`),
      dueAt: announcement.dueAt,
      channels: announcement.channels.map((channel) => ({ label: channel.label, state: channel.state, stateLabel: channel.stateLabel, link: webLink(channel.link), dryRun: channel.dryRun })),
    })),
    links: cancelled ? null : editLinks(opening),
  };
}

/** Only a web address is a link (a driver records what the platform said: never a `javascript:` href). */
function webLink(link: string | null): string | null {
  return link !== null && /^https?:\/\//i.test(link) ? link : null;
}

/** The grid of one month; days outside the range shown are left blank. */
export function monthGrid(month: CalendarMonthView, view: CalendarView, t: Translate): MonthGridView {
  const releases = new Map(view.agenda.flatMap((item) => (item.kind === 'opening' ? [[item.opening.releaseId, item.opening] as const] : [])));
  return {
    month: month.month,
    label: month.label,
    weekdays: month.weekdays.map((short, index) => ({ short, long: t(`calendar.weekday.${index}`) })),
    weeks: month.weeks.map((week) =>
      week.map((cell) => {
        const shown = cell.inMonth && cell.inRange;
        const total = cell.service.reduce((sum, service) => sum + service.total, 0);
        return {
          date: cell.date,
          day: cell.day,
          shown,
          today: shown && cell.today,
          weekend: cell.weekend,
          closed: shown && cell.closed ? closedView(cell.closed, t) : null,
          openings: shown
            ? cell.openings.map((opening) => ({
                anchor: openingAnchor(opening.releaseId),
                text: opening.status === 'cancelled' ? t('calendar.grid.cancelled', { time: opening.opensAtTime }) : t('calendar.grid.opening', { time: opening.opensAtTime }),
                cancelled: opening.status === 'cancelled' || releases.get(opening.releaseId)?.status === 'cancelled',
              }))
            : [],
          serviceTotal: shown && cell.service.length > 0 ? total : null,
        };
      }),
    ),
  };
}
