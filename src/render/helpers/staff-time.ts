/**
 * How staff read an instant (status, plan, alerts by e-mail and Telegram, CLI
 * messages): the office's wall clock with its zone, Indonesian style, for every
 * office: `Jum 4 Des 14.00 WIB`, `Min 28 Mar 03.30 CEST`. The year is added when
 * it is not the year of `now` (`Sen 4 Jan 2027 09.00 WIT`). Machine output
 * (JSON, the ledger, the outbox) keeps ISO 8601.
 *
 * Built from the caption helpers, so staff and the public read the same
 * weekday, month and zone names.
 */
import { formatShortDate, formatTime, localDateOf } from './format';

const STAFF_LOCALE = 'id';

export function formatStaffTime(instant: Date, zone: string, now?: Date): string {
  const env = { locale: STAFF_LOCALE, zone };
  // `Jum, 4 Des` in captions; a stamp reads as one unit without the comma.
  const day = formatShortDate(instant, env).replace(', ', ' ');
  const year = localDateOf(instant, zone).slice(0, 4);
  const otherYear = now !== undefined && localDateOf(now, zone).slice(0, 4) !== year;
  return `${day}${otherYear ? ` ${year}` : ''} ${formatTime(instant, env)}`;
}

/** An ISO 8601 UTC instant inside a message (`2026-12-04T07:00:00.000Z`). */
const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?Z\b/g;

/**
 * `text` with every ISO instant in it shown as office-local time. Alert and
 * error messages are written where the office zone is not known (scheduler,
 * platform drivers) and stored as written, with ISO times; they are made
 * readable here, where staff read them.
 */
export function localizeInstants(text: string, zone: string, now?: Date): string {
  return text.replace(ISO_INSTANT, (iso) => {
    const instant = new Date(iso);
    return Number.isNaN(instant.getTime()) ? iso : formatStaffTime(instant, zone, now);
  });
}
