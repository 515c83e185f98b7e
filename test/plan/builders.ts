/**
 * Hand-built plan inputs. The config loader and calendar expansion are their
 * own modules; plain data objects are legitimate inputs for the pure planner.
 */
import type { AnnouncementRule, Config, DigestRule, OfficeConfig } from '../../src/config/types';
import type { ExpandedCalendar, Release, RemovedDay, ServiceDay } from '../../src/calendar/types';
import { addDays, eachDate, weekdayOf, type PlainDate } from '../../src/time/plain-date';
import { fromLocal } from '../../src/time/zone';

const here = { file: 'config/herald.yaml', line: 1, col: 1 };

export const PONTIANAK = 'Asia/Pontianak';

export function buildAnnouncementRule(overrides: Partial<AnnouncementRule> & Pick<AnnouncementRule, 'id' | 'timing'>): AnnouncementRule {
  return {
    channels: ['x', 'instagram'],
    template: overrides.id,
    deadlineMinutesAfterOpening: 0,
    location: here,
    ...overrides,
  };
}

export function buildDigestRule(overrides: Partial<DigestRule> = {}): DigestRule {
  return {
    id: 'jadwal-mingguan',
    cron: '0 18 * * 0',
    rangeDays: 7,
    startOffsetDays: 1,
    channels: ['x', 'instagram'],
    template: 'jadwal-mingguan',
    deadlineMinutes: 180,
    location: here,
    ...overrides,
  };
}

/** The three announcement rules of the sample office: the evening before, an hour before, at opening. */
export function sampleAnnouncementRules(): AnnouncementRule[] {
  return [
    buildAnnouncementRule({ id: 'h-1', timing: { kind: 'days-before', days: 1, time: '19:00' } }),
    buildAnnouncementRule({ id: 'h-60m', timing: { kind: 'before-opening', minutes: 60 } }),
    buildAnnouncementRule({ id: 'buka', timing: { kind: 'before-opening', minutes: 0 }, deadlineMinutesAfterOpening: 60 }),
  ];
}

export function buildOffice(overrides: Partial<OfficeConfig> = {}): OfficeConfig {
  return {
    id: 'kanim-pontianak',
    name: 'Kantor Imigrasi Kelas I TPI Pontianak',
    shortName: 'Imigrasi Pontianak',
    timezone: PONTIANAK,
    locale: 'id-ID',
    info: { bookingChannel: 'aplikasi M-Paspor', hashtags: ['#imigrasipontianak'] },
    services: [
      { id: 'reguler', name: 'Paspor Reguler', shortName: 'Reguler', location: here },
      { id: 'percepatan', name: 'Paspor Percepatan', shortName: 'Percepatan', location: here },
    ],
    channels: [
      { id: 'x', driver: 'outbox', platform: 'x', credentials: {}, enabled: true, location: here },
      { id: 'instagram', driver: 'outbox', platform: 'instagram', credentials: {}, enabled: true, location: here },
    ],
    holidays: { country: 'ID', openAnyway: [] },
    announcements: sampleAnnouncementRules(),
    digests: [buildDigestRule()],
    calendar: { releases: [], recurring: [], closures: [], imported: [] },
    location: here,
    ...overrides,
  };
}

export function buildConfig(offices: OfficeConfig[]): Config {
  return {
    dir: '/srv/herald/config',
    templatesDir: '/srv/herald/templates',
    offices,
    settings: { renderAheadMinutes: 10, horizonDays: 35, replanCron: '*/10 * * * *' },
  };
}

export interface ReleaseSpec {
  id?: string;
  officeId?: string;
  zone?: string;
  /** Local opening `YYYY-MM-DD HH:mm`. */
  opens: string;
  /** Local closing `YYYY-MM-DD HH:mm`. */
  closes?: string;
  days: PlainDate[];
  quota?: Record<string, number>;
  /** Covered dates that are closed, date → reason (holiday). */
  removed?: Record<PlainDate, string>;
  status?: 'open' | 'cancelled';
  cancelReason?: string;
}

export function buildRelease(spec: ReleaseSpec): Release {
  const zone = spec.zone ?? PONTIANAK;
  const [opensOn, opensTime] = spec.opens.split(' ') as [string, string];
  const removed = spec.removed ?? {};
  const quota = spec.quota ?? { reguler: 120, percepatan: 20 };
  const days: ServiceDay[] = spec.days.filter((d) => !(d in removed)).map((date) => ({ date, quota: { ...quota } }));
  const removedDays: RemovedDay[] = Object.entries(removed).map(([date, reason]) => ({ date, reason, kind: 'holiday' }));
  const release: Release = {
    id: spec.id ?? `mingguan@${opensOn}`,
    officeId: spec.officeId ?? 'kanim-pontianak',
    origin: spec.id ? 'explicit' : 'recurring',
    opensAt: fromLocal(opensOn, opensTime, zone),
    closesAt: spec.closes ? fromLocal(spec.closes.split(' ')[0]!, spec.closes.split(' ')[1]!, zone) : null,
    opensOn,
    status: spec.status ?? 'open',
    days,
    removedDays,
    location: here,
  };
  if (spec.cancelReason) release.cancelReason = spec.cancelReason;
  return release;
}

/** The sample pattern: every Friday 14:00, Monday–Friday of the next week. */
export function buildWeeklyRelease(friday: PlainDate, extra: Partial<ReleaseSpec> = {}): Release {
  if (weekdayOf(friday) !== 5) throw new Error(`${friday} is not a Friday`);
  const monday = addDays(friday, 3);
  return buildRelease({ opens: `${friday} 14:00`, days: eachDate(monday, addDays(monday, 4)), ...extra });
}

export function buildCalendar(releases: Release[], closedDays: RemovedDay[] = [], officeId = 'kanim-pontianak'): ExpandedCalendar {
  const sorted = [...releases].sort((a, b) => a.opensAt.getTime() - b.opensAt.getTime() || a.id.localeCompare(b.id));
  return { officeId, releases: sorted, closedDays };
}

/** Weekly releases on every Friday from `firstFriday` for `weeks` weeks. */
export function buildWeeklyReleases(firstFriday: PlainDate, weeks: number): Release[] {
  return Array.from({ length: weeks }, (_, i) => buildWeeklyRelease(addDays(firstFriday, 7 * i)));
}

/** An instant from an ISO literal with offset, e.g. `at('2026-05-08T14:00+07:00')`. */
export function at(iso: string): Date {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error(`bad ISO literal ${iso}`);
  return date;
}
