/**
 * The recurring rules (`recurring:`) of calendar text as the console's rule
 * pages show and edit them: each rule's rhythm, time, service weekdays,
 * counts, dates and note as written, with weekday names made canonical
 * (`Jumat`, `jumat` and `friday` are one day to the loader: config/schema.ts
 * `WEEKDAY_NAMES`). Read from the text, not the loaded config, so a form
 * compares what a person typed with what the revision it started from says.
 */
import { isMap, isSeq, type YAMLMap } from 'yaml';
import { WEEKDAY_NAMES } from '../../config/schema';
import { parseCalendar } from './calendar-document';

/** 0 = Sunday, as Date#getDay and the loader count. */
export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type WeekdayName = (typeof WEEKDAYS)[number];

/** Service weekdays when a rule names none (the loader's default). */
export const DEFAULT_SERVICE_WEEKDAYS: readonly WeekdayName[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];

export type RuleRhythm =
  | { every: 'weekly'; weekday: WeekdayName; weeksAhead: number }
  | { every: 'monthly'; day: number | 'last-working-day'; monthsAhead: number }
  | { every: 'twice-monthly'; days: [number, number] };

export interface RecurringRuleItem {
  id: string;
  /** Null when the rule gives none or more than one (a revision that loads never does). */
  rhythm: RuleRhythm | null;
  /** The opening time as written (`14:00`, `14.00`). */
  at: string;
  closesAfterMinutes: number | null;
  /** As written, canonical; null when the rule names none (Monday to Friday). */
  serviceWeekdays: WeekdayName[] | null;
  quota: Record<string, number>;
  from: string | null;
  until: string | null;
  note: string | null;
  cancelledOn: { date: string; reason: string | null }[];
}

/** The rules of calendar text in file order; a text that does not parse has none (an edit of it reports why). */
export function readRecurringRules(text: string | undefined): RecurringRuleItem[] {
  if (text === undefined || text.trim() === '') return [];
  let root: YAMLMap;
  try {
    root = parseCalendar(text).contents as YAMLMap;
  } catch {
    return [];
  }
  const list = root.get('recurring', true);
  if (!isSeq(list)) return [];
  return list.items.filter(isMap).flatMap((item) => {
    const data = item.toJSON() as Record<string, unknown>;
    return typeof data.id === 'string' ? [ruleOf(data.id, data)] : [];
  });
}

export function weekdayName(value: unknown): WeekdayName | undefined {
  const day = typeof value === 'string' ? WEEKDAY_NAMES[value.toLowerCase()] : undefined;
  return day === undefined ? undefined : WEEKDAYS[day];
}

function ruleOf(id: string, data: Record<string, unknown>): RecurringRuleItem {
  const text = (value: unknown): string | null => (value === undefined || value === null ? null : String(value));
  const number = (value: unknown): number | null => (typeof value === 'number' ? value : null);
  const serviceWeekdays = Array.isArray(data.serviceWeekdays) ? data.serviceWeekdays.flatMap((day) => weekdayName(day) ?? []) : null;
  const quota: Record<string, number> = {};
  if (isRecord(data.quota)) for (const [service, count] of Object.entries(data.quota)) if (typeof count === 'number') quota[service] = count;
  return {
    id,
    rhythm: rhythmOf(data),
    at: text(data.at) ?? '',
    closesAfterMinutes: number(data.closesAfterMinutes),
    serviceWeekdays,
    quota,
    from: text(data.from),
    until: text(data.until),
    note: text(data.note),
    cancelledOn: Array.isArray(data.cancelledOn) ? data.cancelledOn.filter(isRecord).map((entry) => ({ date: text(entry.date) ?? '', reason: text(entry.reason) })) : [],
  };
}

function rhythmOf(data: Record<string, unknown>): RuleRhythm | null {
  const given = [data.weekly, data.monthly, data.twiceMonthly].filter((value) => value !== undefined && value !== null);
  if (given.length !== 1) return null;
  const ahead = (value: unknown): number => (typeof value === 'number' ? value : 1);
  if (isRecord(data.weekly)) {
    const weekday = weekdayName(data.weekly.weekday);
    return weekday === undefined ? null : { every: 'weekly', weekday, weeksAhead: ahead(data.weekly.weeksAhead) };
  }
  if (isRecord(data.monthly)) {
    const day = data.monthly.day;
    return typeof day === 'number' || day === 'last-working-day' ? { every: 'monthly', day, monthsAhead: ahead(data.monthly.monthsAhead) } : null;
  }
  if (isRecord(data.twiceMonthly) && Array.isArray(data.twiceMonthly.days)) {
    const [first, second] = data.twiceMonthly.days as unknown[];
    return typeof first === 'number' && typeof second === 'number' ? { every: 'twice-monthly', days: [first, second] } : null;
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
