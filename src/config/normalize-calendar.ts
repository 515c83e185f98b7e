/**
 * calendar.yaml (and its CSV imports) → `CalendarConfig`: recurring rules,
 * explicit releases and closures with defaults filled in, dates and times
 * checked, quotas checked against the services of herald.yaml.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CalendarConfig, Closure, ExplicitRelease, RecurrencePattern, RecurringRelease } from './types';
import type { Problem } from '../errors';
import { isPlainDate, weekdayOf, type Weekday } from '../time/plain-date';
import { checkDuplicateIds, isRecord, normalizeTime, rawIdEntries, rawItems, salvageList, type Checker } from './checks';
import { importQuotaCsv } from './csv-import';
import {
  WEEKDAY_NAMES,
  closureSchema,
  importSchema,
  recurringSchema,
  releaseSchema,
  type RecurringInput,
  type ReleaseInput,
} from './schema';
import { didYouMean } from './suggest';
import type { DataPath } from './yaml-source';

const MONDAY_TO_FRIDAY: Weekday[] = [1, 2, 3, 4, 5];
const WEEKDAY_LABELS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

export interface CalendarContext {
  /** Absolute config directory (CSV files are relative to it). */
  dir: string;
  /** The directory as given by the caller, for file names in problems. */
  shownDir: string;
  /** Service ids of herald.yaml; undefined when it is unusable (then quotas are not cross-checked). */
  serviceIds: readonly string[] | undefined;
}

/** Normalises the parsed calendar.yaml; problems go to `checker`. */
export function normalizeCalendar(checker: Checker, context: CalendarContext): CalendarConfig {
  const raw = (checker.source.data ?? {}) as Record<string, unknown>;

  checkReleasesRaw(checker, raw, context.serviceIds);
  const recurring = salvageList(recurringSchema, raw.recurring).flatMap(({ value, index }) => {
    const rule = normalizeRecurring(checker, value, ['recurring', index]);
    return rule ? [rule] : [];
  });
  checkDuplicateIds(checker, rawIdEntries(raw.recurring, 'recurring'), 'recurring release');

  const releases = salvageList(releaseSchema, raw.releases).map(({ value, index }) =>
    normalizeRelease(checker, value, ['releases', index]),
  );

  const closures = salvageList(closureSchema, raw.closures).flatMap(({ value, index }): Closure[] => {
    const at = ['closures', index];
    const single = value.date !== undefined;
    const range = value.from !== undefined || value.to !== undefined;
    if (single === range || (range && (value.from === undefined || value.to === undefined))) {
      checker.error(at, 'write either { date, reason } for one day or { from, to, reason } for a range.');
      return [];
    }
    const from = (value.date ?? value.from)!;
    const to = (value.date ?? value.to)!;
    if (to < from) {
      checker.error([...at, 'to'], `\`to\` (${to}) is before \`from\` (${from}): swap them.`);
      return [];
    }
    return [{ from, to, reason: value.reason, location: checker.at(at) }];
  });

  const imported = salvageList(importSchema, raw.imports).flatMap(({ value, index }) => {
    const absolute = path.resolve(context.dir, value.file);
    if (!existsSync(absolute)) {
      checker.error(['imports', index, 'file'], `CSV file \`${value.file}\` not found in ${context.shownDir}: create it or fix the name.`);
      return [];
    }
    const result = importQuotaCsv(absolute, path.join(context.shownDir, value.file), value.file, {
      serviceIds: context.serviceIds,
      ...(value.delimiter === undefined ? {} : { delimiter: value.delimiter }),
    });
    checker.problems.push(...result.problems);
    return result.releases;
  });

  checkDuplicateIds(
    checker,
    [
      ...releases.map((release) => ({ id: release.id, path: [], location: release.location })),
      ...imported.map((release) => ({ id: release.id, path: [], location: release.location })),
    ],
    'release',
  );
  return { releases, recurring, closures, imported };
}

function normalizeRecurring(checker: Checker, value: RecurringInput, at: DataPath): RecurringRelease | undefined {
  const forms = [value.weekly, value.monthly, value.twiceMonthly].filter((form) => form !== undefined).length;
  if (forms !== 1) {
    checker.error(at, forms === 0
      ? 'say how often it opens: add weekly: { weekday: friday }, monthly: { day: 25 } or twiceMonthly: { days: [1, 16] }.'
      : 'give only one of weekly, monthly or twiceMonthly: write a second rule for a second rhythm.');
    return undefined;
  }
  let pattern: RecurrencePattern;
  if (value.weekly) {
    pattern = { every: 'weekly', weekday: toWeekday(value.weekly.weekday), weeksAhead: value.weekly.weeksAhead ?? 1 };
  } else if (value.monthly) {
    pattern = { every: 'monthly', day: value.monthly.day, monthsAhead: value.monthly.monthsAhead ?? 1 };
  } else {
    const [first, second] = value.twiceMonthly!.days;
    if (first >= second) {
      checker.error([...at, 'twiceMonthly', 'days'], `write the earlier day first, e.g. [${Math.min(first, second)}, ${Math.max(first, second)}], and two different days.`);
      return undefined;
    }
    pattern = { every: 'twice-monthly', days: [first, second] };
  }
  if (value.from !== undefined && value.until !== undefined && value.until < value.from) {
    checker.error([...at, 'until'], `\`until\` (${value.until}) is before \`from\` (${value.from}): swap them.`);
  }
  const cancelledOn = (value.cancelledOn ?? []).map((entry, i) => {
    if (pattern.every === 'weekly' && weekdayOf(entry.date) !== pattern.weekday) {
      checker.warn([...at, 'cancelledOn', i, 'date'],
        `${entry.date} is a ${WEEKDAY_LABELS[weekdayOf(entry.date)]}, but this rule opens on ${WEEKDAY_LABELS[pattern.weekday]}s, so nothing is cancelled: write the opening date.`);
    }
    return { date: entry.date, ...(entry.reason === undefined ? {} : { reason: entry.reason }) };
  });
  return {
    id: value.id,
    pattern,
    time: normalizeTime(value.at),
    ...(value.closesAfterMinutes === undefined ? {} : { closesAfterMinutes: value.closesAfterMinutes }),
    weekdays: value.serviceWeekdays ? unique(value.serviceWeekdays.map(toWeekday)) : MONDAY_TO_FRIDAY,
    quota: { ...value.quota },
    ...(value.from === undefined ? {} : { from: value.from }),
    ...(value.until === undefined ? {} : { until: value.until }),
    cancelledOn,
    ...(value.note === undefined ? {} : { note: value.note }),
    location: checker.at(at),
  };
}

function normalizeRelease(checker: Checker, value: ReleaseInput, at: DataPath): ExplicitRelease {
  const opensAt = { date: value.opensAt.slice(0, 10), time: normalizeTime(value.opensAt.slice(11)) };
  const closesAt = value.closesAt === undefined ? undefined : parseCloses(value.closesAt, opensAt.date);
  const seen = new Set<string>();
  const days = value.days.map((day, i) => {
    const dayAt = [...at, 'days', i];
    if (seen.has(day.date)) checker.error([...dayAt, 'date'], `${day.date} is listed twice in this release: merge the two entries.`);
    seen.add(day.date);
    return { date: day.date, quota: { ...day.quota }, location: checker.at(dayAt) };
  });
  if (value.cancelReason !== undefined && value.cancelled !== true) {
    checker.warn([...at, 'cancelReason'], 'cancelReason is only shown for a cancelled release: add `cancelled: true` or remove it.');
  }
  return {
    id: value.id ?? `release@${opensAt.date}T${opensAt.time}`,
    opensAt,
    ...(closesAt ? { closesAt } : {}),
    days,
    ...(value.note === undefined ? {} : { note: value.note }),
    cancelled: value.cancelled ?? false,
    ...(value.cancelReason === undefined ? {} : { cancelReason: value.cancelReason }),
    origin: 'explicit',
    location: checker.at(at),
  };
}

/**
 * Quota service names, closing times and service days before the opening, checked on the raw
 * entries so an entry with another mistake (a bad date) still gets these reported.
 */
function checkReleasesRaw(checker: Checker, raw: Record<string, unknown>, serviceIds: readonly string[] | undefined): void {
  for (const { item, index } of rawItems(raw.recurring)) checkQuota(checker, item.quota, ['recurring', index, 'quota'], serviceIds);
  for (const { item, index } of rawItems(raw.releases)) {
    const opens = typeof item.opensAt === 'string' && isPlainDate(item.opensAt.slice(0, 10)) ? item.opensAt.slice(0, 10) : undefined;
    checkClosesRaw(checker, item, ['releases', index]);
    for (const day of rawItems(item.days)) {
      const dayAt = ['releases', index, 'days', day.index];
      checkQuota(checker, day.item.quota, [...dayAt, 'quota'], serviceIds);
      const date = day.item.date;
      if (opens && typeof date === 'string' && isPlainDate(date) && date < opens) {
        checker.error([...dayAt, 'date'], `service day ${date} is before the opening on ${opens}: quota must open before the day it is for; fix opensAt or the date.`);
      }
    }
  }
}

function checkClosesRaw(checker: Checker, release: Record<string, unknown>, at: DataPath): void {
  if (typeof release.closesAt !== 'string' || typeof release.opensAt !== 'string') return;
  const opens = OPENS_PATTERN.exec(release.opensAt);
  const opensAt = opens && isPlainDate(opens[1]!) ? { date: opens[1]!, time: normalizeTime(opens[2]!) } : undefined;
  const closesAt = parseCloses(release.closesAt, opensAt?.date ?? '');
  if (!closesAt) {
    checker.error([...at, 'closesAt'], 'write the closing as "YYYY-MM-DD HH:mm", or just HH:mm on the opening day, e.g. "17:00".');
    return;
  }
  if (opensAt && `${closesAt.date} ${closesAt.time}` <= `${opensAt.date} ${opensAt.time}`) {
    checker.error([...at, 'closesAt'], `closes at ${closesAt.date} ${closesAt.time}, not after it opens (${opensAt.date} ${opensAt.time}): fix closesAt.`);
  }
}

const OPENS_PATTERN = /^(\d{4}-\d{2}-\d{2})[ T](([01]?\d|2[0-3])[:.][0-5]\d(:[0-5]\d)?)$/;

function checkQuota(checker: Checker, quota: unknown, at: DataPath, serviceIds: readonly string[] | undefined): void {
  if (!isRecord(quota) || !serviceIds) return;
  for (const service of Object.keys(quota)) {
    if (!serviceIds.includes(service)) checker.problems.push(unknownService(checker, service, [...at, service], serviceIds));
  }
}

function unknownService(checker: Checker, service: string, at: DataPath, serviceIds: readonly string[]): Problem {
  return {
    location: checker.source.locateKey(at),
    message: `quota for unknown service \`${service}\`: use one of ${serviceIds.join(', ') || '(none defined)'} or add it under \`services\` in herald.yaml.${didYouMean(service, serviceIds)}`,
    severity: 'error',
  };
}

function parseCloses(text: string, openDate: string): { date: string; time: string } | undefined {
  const timeOnly = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/.exec(text.trim());
  if (timeOnly) return { date: openDate, time: normalizeTime(text.trim()) };
  const full = /^(\d{4}-\d{2}-\d{2})[ T](([01]?\d|2[0-3])[:.][0-5]\d)$/.exec(text.trim());
  return full && isPlainDate(full[1]!) ? { date: full[1]!, time: normalizeTime(full[2]!) } : undefined;
}

function toWeekday(name: string): Weekday {
  return WEEKDAY_NAMES[name.toLowerCase()] as Weekday;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
