/**
 * Builds OfficeConfig objects for tests without the YAML loader: the sample
 * Pontianak office by default, every part overridable. Locations are distinct
 * and predictable (one line per entry, in creation order) so problem messages
 * can be checked against them.
 */
import type {
  CalendarConfig,
  Closure,
  ExplicitRelease,
  HolidaySettings,
  OfficeConfig,
  QuotaCounts,
  RecurringRelease,
} from '../../src/config/types';
import type { SourceLocation } from '../../src/errors';
import type { PlainDate } from '../../src/time/plain-date';

export const CALENDAR_FILE = 'config/calendar.yaml';
export const CSV_FILE = 'config/quota.csv';

let nextLine = 10;

/** A fresh location in `file`, one line after the previous one. */
export function nextLocation(file = CALENDAR_FILE): SourceLocation {
  nextLine += 1;
  return { file, line: nextLine, col: 5 };
}

export const DEFAULT_QUOTA: QuotaCounts = { regular: 120, express: 20 };

/** The sample office's rule: every Friday 14:00, Monday–Friday of next week. */
export function weeklyRule(overrides: Partial<RecurringRelease> = {}): RecurringRelease {
  return {
    id: 'weekly-friday',
    pattern: { every: 'weekly', weekday: 5, weeksAhead: 1 },
    time: '14:00',
    weekdays: [1, 2, 3, 4, 5],
    quota: DEFAULT_QUOTA,
    cancelledOn: [],
    location: nextLocation(),
    ...overrides,
  };
}

export function monthlyRule(day: number | 'last-working-day', overrides: Partial<RecurringRelease> = {}): RecurringRelease {
  return weeklyRule({ id: 'monthly', pattern: { every: 'monthly', day, monthsAhead: 1 }, time: '09:00', ...overrides });
}

export function twiceMonthlyRule(days: [number, number], overrides: Partial<RecurringRelease> = {}): RecurringRelease {
  return weeklyRule({ id: 'twice', pattern: { every: 'twice-monthly', days }, time: '10:00', ...overrides });
}

/**
 * An explicit release opening at `opens` ("YYYY-MM-DD HH:mm", office time)
 * for the given days, each with `quota` unless the day gives its own.
 */
export function explicitRelease(
  id: string,
  opens: string,
  days: (PlainDate | { date: PlainDate; quota: QuotaCounts })[],
  overrides: Partial<ExplicitRelease> = {},
): ExplicitRelease {
  const origin = overrides.origin ?? 'explicit';
  const file = origin === 'csv' ? CSV_FILE : CALENDAR_FILE;
  const [date, time] = opens.split(' ') as [PlainDate, string];
  const location = overrides.location ?? nextLocation(file);
  return {
    id,
    opensAt: { date, time },
    days: days.map((day) => {
      const entry = typeof day === 'string' ? { date: day, quota: DEFAULT_QUOTA } : day;
      return { ...entry, location: nextLocation(file) };
    }),
    cancelled: false,
    origin,
    location,
    ...overrides,
  };
}

export function closure(from: PlainDate, to: PlainDate, reason: string): Closure {
  return { from, to, reason, location: nextLocation() };
}

export interface OfficeOverrides extends Partial<Omit<OfficeConfig, 'calendar' | 'holidays'>> {
  calendar?: Partial<CalendarConfig>;
  holidays?: Partial<HolidaySettings>;
}

/** The Pontianak immigration office (Asia/Pontianak, ID holidays), overridable part by part. */
export function buildOffice(overrides: OfficeOverrides = {}): OfficeConfig {
  const { calendar, holidays, ...rest } = overrides;
  return {
    id: 'kanim-pontianak',
    name: 'Kantor Imigrasi Kelas I TPI Pontianak',
    shortName: 'Imigrasi Pontianak',
    timezone: 'Asia/Pontianak',
    locale: 'id-ID',
    info: { bookingChannel: 'aplikasi M-Paspor', hashtags: ['#ImigrasiPontianak'] },
    services: [
      { id: 'regular', name: 'Paspor Reguler', shortName: 'Reguler', location: { file: 'config/herald.yaml', line: 20, col: 7 } },
      { id: 'express', name: 'Paspor Percepatan', shortName: 'Percepatan', location: { file: 'config/herald.yaml', line: 23, col: 7 } },
    ],
    channels: [],
    holidays: { country: 'ID', openAnyway: [], ...holidays },
    announcements: [],
    digests: [],
    calendar: { releases: [], recurring: [], closures: [], imported: [], ...calendar },
    location: { file: 'config/herald.yaml', line: 3, col: 3 },
    ...rest,
  };
}
