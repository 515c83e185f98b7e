import type { ExpandedCalendar } from '../../src/calendar/types';
import type { OfficeConfig } from '../../src/config/types';
import { planPosts } from '../../src/plan/plan-posts';
import type { PlannedPost } from '../../src/plan/types';
import { at, buildCalendar, buildConfig, buildDigestRule, buildOffice, buildRelease, buildWeeklyRelease } from './builders';

const ascension = { date: '2026-05-14', reason: 'Kenaikan Yesus Kristus', kind: 'holiday' as const };
const digestOnly = (overrides: Partial<OfficeConfig> = {}): OfficeConfig => buildOffice({ announcements: [], ...overrides });

function digests(office: OfficeConfig, calendar: ExpandedCalendar, from: string, to: string): PlannedPost[] {
  const result = planPosts({ config: buildConfig([office]), calendars: new Map([[office.id, calendar]]), range: { from: at(from), to: at(to) } });
  expect(result.skipped).toEqual([]);
  return result.posts;
}

describe('plan/digest planDigests (through planPosts)', () => {
  const holidayWeek = buildWeeklyRelease('2026-05-08', { removed: { '2026-05-14': ascension.reason } });
  const nextWeek = buildWeeklyRelease('2026-05-15');
  const calendar = buildCalendar([holidayWeek, nextWeek], [ascension]);

  it('posts on Sunday 18:00 WIB on every channel, about Monday to Sunday, with a 3-hour deadline', () => {
    const posts = digests(digestOnly(), calendar, '2026-05-10T00:00+07:00', '2026-05-11T00:00+07:00');
    expect(posts.map((p) => p.channelId).sort()).toEqual(['instagram', 'x']);
    const post = posts[0]!;
    expect(post).toMatchObject({ kind: 'digest', ruleId: 'jadwal-mingguan', releaseId: null, subject: 'digest:2026-05-11..2026-05-17', template: 'jadwal-mingguan' });
    expect(post.dueAt.toISOString()).toBe('2026-05-10T11:00:00.000Z');
    expect(post.deadline?.toISOString()).toBe('2026-05-10T14:00:00.000Z');
    expect(posts[1]!.id).not.toBe(post.id);
    expect(posts[1]!.fingerprint).toBe(post.fingerprint);
  });

  it('lists four service days in a week with a holiday and says why the fifth is missing', () => {
    const digest = digests(digestOnly(), calendar, '2026-05-10T00:00+07:00', '2026-05-11T00:00+07:00')[0]!.facts.digest!;
    const open = { reguler: 120, percepatan: 20 };
    expect(digest.from).toBe('2026-05-11');
    expect(digest.to).toBe('2026-05-17');
    expect(digest.days).toEqual([
      { date: '2026-05-11', quota: open, weekend: false },
      { date: '2026-05-12', quota: open, weekend: false },
      { date: '2026-05-13', quota: open, weekend: false },
      { date: '2026-05-14', quota: null, closedReason: 'Kenaikan Yesus Kristus', weekend: false },
      { date: '2026-05-15', quota: open, weekend: false },
      { date: '2026-05-16', quota: null, weekend: true },
      { date: '2026-05-17', quota: null, weekend: true },
    ]);
    expect(digest.days.filter((d) => d.quota !== null)).toHaveLength(4);
  });

  it('lists the openings between the post and the end of the period: when to book', () => {
    const digest = digests(digestOnly(), calendar, '2026-05-10T00:00+07:00', '2026-05-11T00:00+07:00')[0]!.facts.digest!;
    expect(digest.openings.map((o) => [o.id, o.opensAt])).toEqual([[nextWeek.id, '2026-05-15T07:00:00.000Z']]);
    expect(digest.openings[0]!.days.map((d) => d.date)).toEqual(['2026-05-18', '2026-05-19', '2026-05-20', '2026-05-21', '2026-05-22']);
  });

  it('names the first open release after the period, skipping cancelled ones, within the lookahead', () => {
    const inJune = buildRelease({ id: 'juni', opens: '2026-06-05 14:00', days: ['2026-06-08'], quota: { reguler: 100 } });
    const cancelled = buildRelease({ id: 'batal', opens: '2026-05-29 14:00', days: ['2026-06-01'], quota: { reguler: 100 }, status: 'cancelled', cancelReason: 'gangguan' });
    const farAway = buildRelease({ id: 'jauh', opens: '2026-09-04 14:00', days: ['2026-09-07'], quota: { reguler: 100 } });
    const week = (releases: Parameters<typeof buildCalendar>[0]) =>
      digests(digestOnly(), buildCalendar(releases), '2026-05-10T00:00+07:00', '2026-05-11T00:00+07:00')[0]!.facts.digest!;
    const quiet = week([cancelled, inJune, farAway]);
    expect(quiet.openings.map((o) => o.id)).toEqual([]);
    expect(quiet.nextOpening?.id).toBe('juni');
    expect(week([farAway]).nextOpening).toBeUndefined();
  });

  it('shows a cancelled opening as cancelled and does not count its quota', () => {
    const extra = buildRelease({ id: 'tambahan', opens: '2026-05-11 09:00', days: ['2026-05-13'], quota: { percepatan: 50 }, status: 'cancelled', cancelReason: 'gangguan sistem' });
    const posts = digests(digestOnly(), buildCalendar([holidayWeek, nextWeek, extra], [ascension]), '2026-05-10T00:00+07:00', '2026-05-11T00:00+07:00');
    const digest = posts[0]!.facts.digest!;
    expect(digest.openings.map((o) => [o.id, o.status, o.cancelReason])).toEqual([
      ['tambahan', 'cancelled', 'gangguan sistem'],
      [nextWeek.id, 'open', undefined],
    ]);
    expect(digest.days.find((d) => d.date === '2026-05-13')!.quota).toEqual({ reguler: 120, percepatan: 20 });
  });

  it('sums the counts of several open releases covering one day', () => {
    const regular = buildRelease({ id: 'reguler-mei', opens: '2026-05-08 14:00', days: ['2026-05-12'], quota: { reguler: 100 } });
    const express = buildRelease({ id: 'percepatan-mei', opens: '2026-05-09 09:00', days: ['2026-05-12'], quota: { percepatan: 30 } });
    const digest = digests(digestOnly(), buildCalendar([regular, express]), '2026-05-10T00:00+07:00', '2026-05-11T00:00+07:00')[0]!.facts.digest!;
    expect(digest.days.find((d) => d.date === '2026-05-12')!.quota).toEqual({ reguler: 100, percepatan: 30 });
    expect(digest.days.find((d) => d.date === '2026-05-11')!.quota).toBeNull();
  });

  it('honours startOffsetDays and rangeDays', () => {
    const office = digestOnly({ digests: [buildDigestRule({ id: 'dua-minggu', cron: '0 7 * * 1', startOffsetDays: 0, rangeDays: 14 })] });
    const posts = digests(office, calendar, '2026-05-11T00:00+07:00', '2026-05-12T00:00+07:00');
    expect(posts[0]!.subject).toBe('digest:2026-05-11..2026-05-24');
    expect(posts[0]!.facts.digest!.days).toHaveLength(14);
    expect(posts[0]!.dueAt.toISOString()).toBe('2026-05-11T00:00:00.000Z');
  });

  it('gives each period its own id', () => {
    const posts = digests(digestOnly(), calendar, '2026-05-01T00:00+07:00', '2026-06-01T00:00+07:00');
    expect(posts.map((p) => p.subject).filter((s, i, all) => all.indexOf(s) === i)).toEqual([
      'digest:2026-05-04..2026-05-10',
      'digest:2026-05-11..2026-05-17',
      'digest:2026-05-18..2026-05-24',
      'digest:2026-05-25..2026-05-31',
      'digest:2026-06-01..2026-06-07',
    ]);
    expect(new Set(posts.map((p) => p.id)).size).toBe(10);
  });

  it('skips a digest rule whose cron expression is invalid, with the parser message', () => {
    const office = digestOnly({ digests: [buildDigestRule({ cron: '0 18 * * minggu', channels: ['x'] })] });
    const result = planPosts({ config: buildConfig([office]), calendars: new Map([[office.id, calendar]]), range: { from: at('2026-05-01T00:00Z'), to: at('2026-06-01T00:00Z') } });
    expect(result.posts).toEqual([]);
    expect(result.skipped).toHaveLength(1);
    expect(result.skipped[0]!.reason).toContain('digest rule jadwal-mingguan has an invalid cron expression `0 18 * * minggu`: day-of-week `minggu` is not a number or a day name');
  });
});
