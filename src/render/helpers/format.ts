/**
 * Locale-aware formatting of dates, times, numbers and lists for captions and
 * cards. Indonesian (`id`) is spelled out by hand so the output does not change
 * with the ICU version Node ships; every other locale falls back to Intl.
 *
 * Every function takes the office zone explicitly: the host zone is never used.
 */
import { daysBetween, isPlainDate, type PlainDate } from '../../time/plain-date';
import { toLocal } from '../../time/zone';
import { zoneAbbreviation } from './zone-name';

/** Where and for whom text is formatted. */
export interface FormatEnv {
  locale: string;
  zone: string;
}

const ID_WEEKDAYS = ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'];
const ID_WEEKDAYS_SHORT = ['Min', 'Sen', 'Sel', 'Rab', 'Kam', 'Jum', 'Sab'];
const ID_MONTHS = [
  'Januari',
  'Februari',
  'Maret',
  'April',
  'Mei',
  'Juni',
  'Juli',
  'Agustus',
  'September',
  'Oktober',
  'November',
  'Desember',
];
const ID_MONTHS_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];

function isIndonesian(locale: string): boolean {
  return /^id(-|$)/i.test(locale) || /^in(-|$)/i.test(locale);
}

/** A value a template passes as a date: `YYYY-MM-DD`, an ISO instant, or a Date. */
export type DateInput = string | Date;

/**
 * The local calendar date of `value` in the office zone. A plain date stays as
 * it is; an instant is converted (14.00 UTC on the 27th is already the 28th in
 * Jayapura).
 */
export function localDateOf(value: DateInput, zone: string): PlainDate {
  if (typeof value === 'string' && isPlainDate(value)) return value;
  const instant = toInstant(value);
  return toLocal(instant, zone).date;
}

function toInstant(value: DateInput): Date {
  const instant = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(instant.getTime())) {
    throw new TypeError(`expected a date (YYYY-MM-DD or an ISO time), got ${JSON.stringify(value)}`);
  }
  return instant;
}

function parts(date: PlainDate): { y: number; m: number; d: number; weekday: number } {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return { y, m, d, weekday: new Date(Date.UTC(y, m - 1, d)).getUTCDay() };
}

/** A UTC-midnight Date for Intl, formatted with timeZone UTC so the day never shifts. */
function utcDate(date: PlainDate): Date {
  const { y, m, d } = parts(date);
  return new Date(Date.UTC(y, m - 1, d, 12));
}

/** `Jumat, 27 November 2026`. */
export function formatDate(value: DateInput, env: FormatEnv): string {
  const date = localDateOf(value, env.zone);
  if (isIndonesian(env.locale)) {
    const { y, m, d, weekday } = parts(date);
    return `${ID_WEEKDAYS[weekday]}, ${d} ${ID_MONTHS[m - 1]} ${y}`;
  }
  return new Intl.DateTimeFormat(env.locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(utcDate(date));
}

/** `Jum, 27 Nov` (tables, tight captions); with `year`: `27 Nov 2026`. */
export function formatShortDate(value: DateInput, env: FormatEnv, withYear = false): string {
  const date = localDateOf(value, env.zone);
  if (isIndonesian(env.locale)) {
    const { y, m, d, weekday } = parts(date);
    return withYear ? `${d} ${ID_MONTHS_SHORT[m - 1]} ${y}` : `${ID_WEEKDAYS_SHORT[weekday]}, ${d} ${ID_MONTHS_SHORT[m - 1]}`;
  }
  const options: Intl.DateTimeFormatOptions = withYear
    ? { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }
    : { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(env.locale, options).format(utcDate(date));
}

/** `Jumat`; with `short`: `Jum`. */
export function formatWeekday(value: DateInput, env: FormatEnv, short = false): string {
  const date = localDateOf(value, env.zone);
  if (isIndonesian(env.locale)) {
    const { weekday } = parts(date);
    return (short ? ID_WEEKDAYS_SHORT : ID_WEEKDAYS)[weekday]!;
  }
  return new Intl.DateTimeFormat(env.locale, { weekday: short ? 'short' : 'long', timeZone: 'UTC' }).format(
    utcDate(date),
  );
}

/** `14.00 WIB` (the office's wall clock and zone); with `withZone` false: `14.00`. */
export function formatTime(value: DateInput, env: FormatEnv, withZone = true): string {
  const instant = toInstant(value);
  let clock: string;
  if (isIndonesian(env.locale)) {
    // Indonesian writes times with a dot: 14.00, not 14:00.
    clock = toLocal(instant, env.zone).time.replace(':', '.');
  } else {
    clock = new Intl.DateTimeFormat(env.locale, { hour: '2-digit', minute: '2-digit', timeZone: env.zone }).format(
      instant,
    );
  }
  return withZone ? `${clock} ${zoneAbbreviation(env.zone, instant, env.locale)}` : clock;
}

/** `1.250` in Indonesian, `1,250` in English. */
export function formatNumber(value: number, env: FormatEnv): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`expected a number, got ${JSON.stringify(value)}`);
  }
  // Whole counts in Indonesian are grouped by hand (1.250): Intl's format is the
  // slowest step of a monthly caption (hundreds of counts, each rendered up to
  // four times while the caption is fitted), and the output must not depend on ICU.
  if (isIndonesian(env.locale) && Number.isSafeInteger(value)) {
    const digits = String(Math.abs(value)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
    return value < 0 ? `-${digits}` : digits;
  }
  let format = numberFormats.get(env.locale);
  if (!format) {
    format = new Intl.NumberFormat(env.locale, { maximumFractionDigits: 2 });
    numberFormats.set(env.locale, format);
  }
  return format.format(value);
}

/** Building an Intl.NumberFormat costs ~50 µs; a monthly post formats hundreds of counts. */
const numberFormats = new Map<string, Intl.NumberFormat>();

/**
 * `hari ini`, `besok`, `lusa` relative to `now` — both taken as calendar dates
 * in the office zone, so 23.30 and 00.30 are different days even when the host
 * runs in UTC. Further away (or in the past): the full date.
 */
export function formatRelativeDay(value: DateInput, now: DateInput, env: FormatEnv): string {
  const target = localDateOf(value, env.zone);
  const today = localDateOf(now, env.zone);
  const diff = daysBetween(today, target);
  if (isIndonesian(env.locale)) {
    const word = ({ 0: 'hari ini', 1: 'besok', 2: 'lusa' } as Record<number, string>)[diff];
    if (word) return word;
  } else if (diff >= 0 && diff <= 1) {
    return new Intl.RelativeTimeFormat(env.locale, { numeric: 'auto' }).format(diff, 'day');
  }
  return formatDate(target, env);
}

/**
 * The day of `value` seen from `now` in the office zone, always with its
 * absolute date: `besok, Senin, 18 Januari 2027`, `hari ini, Jumat, 18 Desember
 * 2026`, `lusa, …`, or just the date further away. With `short`: `besok, Sen, 18 Jan`.
 *
 * Why both: a post written for 23.00 about an opening at 00.00 must say
 * "besok", and a post read hours later (or a screenshot passed on) must still
 * name the day without knowing when it was posted.
 */
export function formatRelativeDate(value: DateInput, now: DateInput, env: FormatEnv, short = false): string {
  const target = localDateOf(value, env.zone);
  const diff = daysBetween(localDateOf(now, env.zone), target);
  const absolute = short ? formatShortDate(target, env) : formatDate(target, env);
  if (isIndonesian(env.locale)) {
    const word = ({ 0: 'hari ini', 1: 'besok', 2: 'lusa' } as Record<number, string>)[diff];
    return word ? `${word}, ${absolute}` : absolute;
  }
  if (diff >= 0 && diff <= 1) return `${new Intl.RelativeTimeFormat(env.locale, { numeric: 'auto' }).format(diff, 'day')}, ${absolute}`;
  return absolute;
}

/** One service's count, as `quotaList` lists it. */
export interface CountLike {
  serviceName: string;
  shortName: string;
  count: number;
}

/**
 * `Paspor Reguler 120 dan Paspor Percepatan 20`; `countFirst`: `120 Paspor
 * Reguler, …`; `short`: the short names. Lists read "A, B dan C".
 */
export function formatQuotaList(quotas: readonly CountLike[], env: FormatEnv, options: { short?: boolean; countFirst?: boolean } = {}): string {
  return formatList(
    quotas.map((q) => {
      const name = options.short ? q.shortName : q.serviceName;
      const count = formatNumber(q.count, env);
      return options.countFirst ? `${count} ${name}` : `${name} ${count}`;
    }),
    env,
  );
}

/**
 * `Senin, Selasa dan Rabu`: Indonesian joins the last item with "dan" and no
 * comma before it (PUEBI); other locales follow Intl.
 */
export function formatList(items: readonly unknown[], env: FormatEnv): string {
  const texts = items.map((item) => String(item));
  if (isIndonesian(env.locale)) {
    if (texts.length <= 1) return texts.join('');
    return `${texts.slice(0, -1).join(', ')} dan ${texts[texts.length - 1]}`;
  }
  return new Intl.ListFormat(env.locale, { type: 'conjunction' }).format(texts);
}

/**
 * The days of a row of consecutive dates: `Sen, 4 Jan` for one day,
 * `Sen–Jum, 4–8 Jan` within a month, `Sen, 28 Des – Jum, 1 Jan` across months.
 * With `long`: `Senin–Jumat, 4–8 Januari 2027`, `Senin, 4 Januari 2027`.
 */
export function formatDayRange(from: DateInput, to: DateInput, env: FormatEnv, long = false): string {
  const first = localDateOf(from, env.zone);
  const last = localDateOf(to, env.zone);
  if (first === last) return long ? formatDate(first, env) : formatShortDate(first, env);
  if (!isIndonesian(env.locale)) {
    const options: Intl.DateTimeFormatOptions = long
      ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }
      : { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' };
    return new Intl.DateTimeFormat(env.locale, options).formatRange(utcDate(first), utcDate(last));
  }
  const a = parts(first);
  const b = parts(last);
  const weekdays = long ? ID_WEEKDAYS : ID_WEEKDAYS_SHORT;
  const months = long ? ID_MONTHS : ID_MONTHS_SHORT;
  const year = long ? ` ${b.y}` : '';
  if (a.y === b.y && a.m === b.m) return `${weekdays[a.weekday]}–${weekdays[b.weekday]}, ${a.d}–${b.d} ${months[b.m - 1]}${year}`;
  const firstYear = long && a.y !== b.y ? ` ${a.y}` : '';
  return `${weekdays[a.weekday]}, ${a.d} ${months[a.m - 1]}${firstYear} – ${weekdays[b.weekday]}, ${b.d} ${months[b.m - 1]}${year}`;
}

/** `30 Nov – 6 Des 2026`, or `3–9 Des 2026` within one month, or `18 Jan 2027` for one day. */
export function formatDateRange(from: DateInput, to: DateInput, env: FormatEnv): string {
  const a = parts(localDateOf(from, env.zone));
  const b = parts(localDateOf(to, env.zone));
  if (localDateOf(from, env.zone) === localDateOf(to, env.zone)) return formatShortDate(from, env, true);
  if (!isIndonesian(env.locale)) {
    const format = new Intl.DateTimeFormat(env.locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
    return format.formatRange(utcDate(localDateOf(from, env.zone)), utcDate(localDateOf(to, env.zone)));
  }
  if (a.y === b.y && a.m === b.m) return `${a.d}–${b.d} ${ID_MONTHS_SHORT[b.m - 1]} ${b.y}`;
  if (a.y === b.y) return `${a.d} ${ID_MONTHS_SHORT[a.m - 1]} – ${b.d} ${ID_MONTHS_SHORT[b.m - 1]} ${b.y}`;
  return `${a.d} ${ID_MONTHS_SHORT[a.m - 1]} ${a.y} – ${b.d} ${ID_MONTHS_SHORT[b.m - 1]} ${b.y}`;
}

/**
 * A digest's period seen from the post: `pekan ini, 21–27 Des 2026`,
 * `pekan depan, 4–10 Jan 2027`, or just the dates (`when` is `period`).
 * `when` comes from the render context (`digest.when`), computed from the day
 * the post goes out: a Sunday post about the following week says "pekan depan".
 */
export function formatPeriod(when: string, from: DateInput, to: DateInput, env: FormatEnv): string {
  const dates = formatDateRange(from, to, env);
  const words: Record<string, string> = isIndonesian(env.locale)
    ? { 'this-week': 'pekan ini', 'next-week': 'pekan depan' }
    : { 'this-week': 'this week', 'next-week': 'next week' };
  const word = Object.hasOwn(words, when) ? words[when] : undefined;
  return word ? `${word}, ${dates}` : dates;
}
