import type { ExpandedCalendar } from '../../src/calendar/types';
import type { ExplicitRelease, OfficeConfig } from '../../src/config/types';
import { calendarWindow, planPosts } from '../../src/plan/plan-posts';
import { addDays, eachDate } from '../../src/time/plain-date';
import { at, buildAnnouncementRule, buildCalendar, buildConfig, buildOffice, buildRelease, buildWeeklyReleases } from './builders';

const here = { file: 'config/calendar.yaml', line: 1, col: 1 };

/** The calendar as `expandCalendar` would return it for `window`: releases opening in it, closed days in it. */
function restrict(calendar: ExpandedCalendar, window: { from: string; to: string }): ExpandedCalendar {
  const inside = (date: string): boolean => date >= window.from && date <= window.to;
  return { ...calendar, releases: calendar.releases.filter((r) => inside(r.opensOn)), closedDays: calendar.closedDays.filter((d) => inside(d.date)) };
}

describe('plan/calendar-window calendarWindow', () => {
  it('reaches back two months for digests and forward past the longest announcement lead', () => {
    const office = buildOffice({
      announcements: [buildAnnouncementRule({ id: 'h-3', timing: { kind: 'days-before', days: 3, time: '09:00' } })],
    });
    const window = calendarWindow(office, { from: at('2026-05-10T00:00+07:00'), to: at('2026-05-17T00:00+07:00') });
    expect(window.from <= addDays('2026-05-10', -62)).toBe(true);
    // Digests posted up to 16 May cover up to 23 May; h-3 posts up to 16 May announce openings up to 19 May.
    expect(window.to >= '2026-05-24').toBe(true);
  });

  it('reaches back as far as an explicit release in the config covers', () => {
    const longLead: ExplicitRelease = {
      id: 'kuartal',
      opensAt: { date: '2026-01-05', time: '09:00' },
      days: [{ date: '2026-05-29', quota: { reguler: 10 }, location: here }],
      cancelled: false,
      origin: 'explicit',
      location: here,
    };
    const office = buildOffice({ calendar: { releases: [longLead], recurring: [], closures: [], imported: [] } });
    const window = calendarWindow(office, { from: at('2026-05-24T00:00+07:00'), to: at('2026-05-25T00:00+07:00') });
    expect(window.from <= '2026-01-05').toBe(true);
  });

  it('is wide enough: planning on the restricted calendar gives the same posts as on the full one', () => {
    const office: OfficeConfig = buildOffice();
    const monthly = eachDate('2026-01-01', '2026-12-31')
      .filter((d) => d.endsWith('-25'))
      .map((d) => buildRelease({ id: `bulanan@${d}`, opens: `${d} 10:00`, days: eachDate(addDays(d, 10), addDays(d, 40)).filter((x) => x.endsWith('-15')), quota: { percepatan: 5 } }));
    const closures = eachDate('2026-01-01', '2026-12-31')
      .filter((d) => d.endsWith('-17'))
      .map((date) => ({ date, reason: 'Penutupan kantor', kind: 'closure' as const }));
    const full = buildCalendar([...buildWeeklyReleases('2026-01-02', 52), ...monthly], closures);
    let compared = 0;
    for (let start = '2026-02-01'; start < '2026-12-01'; start = addDays(start, 9)) {
      const range = { from: at(`${start}T05:00+07:00`), to: at(`${addDays(start, 10)}T05:00+07:00`) };
      const window = calendarWindow(office, range);
      const config = buildConfig([office]);
      const expected = planPosts({ config, calendars: new Map([[office.id, full]]), range });
      const actual = planPosts({ config, calendars: new Map([[office.id, restrict(full, window)]]), range });
      expect(actual).toEqual(expected);
      compared += expected.posts.length;
    }
    expect(compared).toBeGreaterThan(300); // ~13 posts per 10-day range: the comparison is not vacuous
  });
});
