/**
 * A recurring rule in words, as the rules page lists it: its rhythm
 * ("setiap Jumat 14.00 WIB, 1 minggu ke depan"), its service weekdays
 * ("Senin–Jumat"), its counts per service (in the office's service order),
 * from and until, and the dates it does not open. The zone is the office's
 * (WIB, WITA, WIT): a rule's time is office time.
 */
import { normalizeTime } from '../../../config/checks';
import type { OfficeConfig } from '../../../config/types';
import { DEFAULT_SERVICE_WEEKDAYS, type RecurringRuleItem, type RuleRhythm, type WeekdayName } from '../../../console/edit';
import { dateLabel } from '../../../console/view-parts';
import { zoneAbbreviation } from '../../../render/helpers/zone-name';
import type { Lang, Translate } from '../../i18n';

/** Monday first, as Indonesian wall calendars are. */
export const WEEK_ORDER: readonly WeekdayName[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

export interface RuleWords {
  rhythm: string;
  serviceDays: string;
  counts: { service: string; count: number }[];
  period: string;
  note: string | null;
  cancelledOn: { date: string; label: string; reason: string | null }[];
}

export interface WordsEnv {
  office: OfficeConfig;
  now: Date;
  lang: Lang;
  t: Translate;
}

export function ruleWords(rule: RecurringRuleItem, env: WordsEnv): RuleWords {
  const { office, t, lang } = env;
  return {
    rhythm: rhythmWords(rule.rhythm, rule.at, rule.closesAfterMinutes, env),
    serviceDays: serviceDayWords(rule.serviceWeekdays ?? DEFAULT_SERVICE_WEEKDAYS, t),
    counts: [
      ...office.services.filter((service) => rule.quota[service.id] !== undefined).map((service) => ({ service: service.name, count: rule.quota[service.id]! })),
      // A service the office no longer has still shows (a revision that loads has none).
      ...Object.entries(rule.quota).filter(([id]) => !office.services.some((service) => service.id === id)).map(([service, count]) => ({ service, count })),
    ],
    period: periodWords(rule.from, rule.until, lang, t),
    note: rule.note,
    cancelledOn: rule.cancelledOn.map((entry) => ({ date: entry.date, label: dateLabel(entry.date, lang), reason: entry.reason })),
  };
}

/** `setiap Jumat 14.00 WIB, 1 minggu ke depan`; a rule without a rhythm says so. */
export function rhythmWords(rhythm: RuleRhythm | null, at: string, closesAfterMinutes: number | null, env: WordsEnv): string {
  const { t } = env;
  if (rhythm === null) return t('rules.rhythm.none');
  const time = clockWords(at, env.lang);
  const zone = zoneAbbreviation(env.office.timezone, env.now, env.office.locale);
  let words: string;
  if (rhythm.every === 'weekly') {
    words = t('rules.rhythm.weekly', { weekday: t(`rules.weekday.${rhythm.weekday}`), time, zone, ahead: rhythm.weeksAhead });
  } else if (rhythm.every === 'monthly') {
    words =
      rhythm.day === 'last-working-day'
        ? t('rules.rhythm.monthlyLast', { time, zone, ahead: rhythm.monthsAhead })
        : t('rules.rhythm.monthly', { day: rhythm.day, time, zone, ahead: rhythm.monthsAhead });
  } else {
    words = t('rules.rhythm.twiceMonthly', { first: rhythm.days[0], second: rhythm.days[1], time, zone });
  }
  return closesAfterMinutes === null ? words : `${words}${t('rules.rhythm.closes', { minutes: closesAfterMinutes })}`;
}

/** `14.00` in Indonesian, `14:00` in English. */
function clockWords(at: string, lang: Lang): string {
  if (!/^\d{1,2}[:.]\d{2}$/.test(at)) return at;
  const time = normalizeTime(at);
  return lang === 'id' ? time.replace(':', '.') : time;
}

/** Runs of three or more days in a row as `Senin–Jumat`; the rest one by one. */
export function serviceDayWords(days: readonly WeekdayName[], t: Translate): string {
  if (days.length === 0) return t('rules.serviceDays.none');
  const chosen = WEEK_ORDER.map((day) => days.includes(day));
  const parts: string[] = [];
  for (let i = 0; i < WEEK_ORDER.length; ) {
    if (!chosen[i]) {
      i += 1;
      continue;
    }
    let end = i;
    while (end + 1 < WEEK_ORDER.length && chosen[end + 1]) end += 1;
    const name = (index: number): string => t(`rules.weekday.${WEEK_ORDER[index]!}`);
    if (end - i >= 2) parts.push(`${name(i)}–${name(end)}`);
    else for (let j = i; j <= end; j += 1) parts.push(name(j));
    i = end + 1;
  }
  return parts.join(', ');
}

function periodWords(from: string | null, until: string | null, lang: Lang, t: Translate): string {
  if (from && until) return t('rules.period.both', { from: dateLabel(from, lang), until: dateLabel(until, lang) });
  if (from) return t('rules.period.from', { from: dateLabel(from, lang) });
  if (until) return t('rules.period.until', { until: dateLabel(until, lang) });
  return t('rules.period.open');
}
