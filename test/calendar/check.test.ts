import { checkCalendar, checkOpeningsOnClosedDays } from '../../src/calendar/check';
import { formatProblem, type Problem, type SourceLocation } from '../../src/errors';
import { buildOffice, closure, explicitRelease, twiceMonthlyRule, weeklyRule } from './office-builder';

const WINDOW = { from: '2026-11-01', to: '2026-12-31' };
const where = (location: SourceLocation): string => `${location.file}:${location.line}:${location.col}`;
const errors = (problems: Problem[]): Problem[] => problems.filter((p) => p.severity === 'error');

describe('calendar/check', () => {
  describe('checkCalendar', () => {
    it('finds nothing wrong with the sample office over two years', () => {
      const office = buildOffice({
        calendar: {
          recurring: [weeklyRule()],
          releases: [explicitRelease('sabtu-extra', '2026-11-27 15:00', ['2026-12-05'])],
          closures: [closure('2026-12-24', '2026-12-24', 'Cuti bersama Natal')],
        },
      });
      expect(checkCalendar(office, { from: '2026-01-01', to: '2027-12-31' })).toEqual([]);
    });

    it('reports an explicit release opening on or after a day it covers, at that day', () => {
      const entry = explicitRelease('telat', '2026-12-01 08:00', ['2026-12-02', '2026-12-01']);
      const midnight = explicitRelease('tengah-malam', '2026-12-03 00:00', ['2026-12-03']);
      const problems = checkCalendar(buildOffice({ calendar: { releases: [entry, midnight] } }), WINDOW);
      expect(problems.map((p) => formatProblem(p))).toEqual([
        `${where(entry.days[1]!.location)}: Release telat opens 2026-12-01 08:00 Asia/Pontianak but covers 2026-12-01, already begun by then: a release must open before 00:00 of every day it covers, so open earlier or remove the day.`,
        `${where(midnight.days[0]!.location)}: Release tengah-malam opens 2026-12-03 00:00 Asia/Pontianak but covers 2026-12-03, already begun by then: a release must open before 00:00 of every day it covers, so open earlier or remove the day.`,
      ]);
    });

    it('reports a late recurring rule once, not once per week', () => {
      const rule = weeklyRule({ id: 'minggu-ini', pattern: { every: 'weekly', weekday: 3, weeksAhead: 0 } });
      const problems = checkCalendar(buildOffice({ calendar: { recurring: [rule] } }), WINDOW);
      expect(problems).toHaveLength(1);
      expect(problems[0]!.location).toEqual(rule.location);
      expect(problems[0]!.severity).toBe('error');
      expect(problems[0]!.message).toMatch(/^recurring rule minggu-ini opens 2026-11-04 14:00 Asia\/Pontianak but covers 2026-11-02/);
      expect(problems[0]!.message).toMatch(/8 more of its releases do the same: .*weeksAhead/);
    });

    it('reports two releases counting the same service day, naming the other source', () => {
      const rule = weeklyRule();
      const entry = explicitRelease('ganda', '2026-11-20 09:00', ['2026-12-01']);
      const problems = checkCalendar(buildOffice({ calendar: { recurring: [rule], releases: [entry] } }), WINDOW);
      expect(problems).toEqual([
        {
          location: entry.days[0]!.location,
          message: `explicit release ganda and recurring rule weekly-friday (${where(rule.location)}) both give counts for Paspor Reguler and Paspor Percepatan on 2026-12-01: remove the day here, or stop the rule for that week by adding 2026-11-27 to its cancelledOn.`,
          severity: 'error',
        },
      ]);
    });

    it('reports a CSV row overlapping an explicit release at the CSV row, with the YAML line of the other', () => {
      const yaml = explicitRelease('yaml', '2026-11-20 09:00', [{ date: '2026-12-01', quota: { regular: 50 } }]);
      const csv = explicitRelease('csv-2026-11-21-0900', '2026-11-21 09:00', [{ date: '2026-12-01', quota: { regular: 60 } }], { origin: 'csv' });
      const problems = checkCalendar(buildOffice({ calendar: { releases: [yaml], imported: [csv] } }), WINDOW);
      expect(errors(problems)).toHaveLength(1);
      expect(problems[0]!.location).toEqual(csv.days[0]!.location);
      expect(problems[0]!.location!.file).toBe('config/quota.csv');
      expect(problems[0]!.message).toContain(`csv release csv-2026-11-21-0900 and explicit release yaml (${where(yaml.days[0]!.location)})`);
      expect(problems[0]!.message).toContain('Paspor Reguler on 2026-12-01: keep the day in one of them only.');
    });

    it('does not count different services on one day as an overlap', () => {
      const a = explicitRelease('reguler', '2026-11-20 09:00', [{ date: '2026-12-01', quota: { regular: 50 } }]);
      const b = explicitRelease('percepatan', '2026-11-20 10:00', [{ date: '2026-12-01', quota: { express: 10 } }]);
      expect(checkCalendar(buildOffice({ calendar: { releases: [a, b] } }), WINDOW)).toEqual([]);
    });

    it('reports two rules covering the same days once, with how many days', () => {
      const friday = weeklyRule();
      const thursday = weeklyRule({ id: 'kamis', pattern: { every: 'weekly', weekday: 4, weeksAhead: 1 }, quota: { regular: 10 } });
      const problems = checkCalendar(buildOffice({ calendar: { recurring: [friday, thursday] } }), { from: '2026-11-01', to: '2026-11-30' });
      expect(problems).toHaveLength(1);
      expect(problems[0]!.message).toMatch(/both give counts for Paspor Reguler on 2026-11-09 and 19 more day\(s\): change one rule's weekdays/);
    });

    it('ignores cancelled releases for overlaps, explicit or by cancelledOn', () => {
      const rule = weeklyRule({ cancelledOn: [{ date: '2026-11-27', reason: 'Diganti jadwal khusus' }] });
      const replacement = explicitRelease('khusus', '2026-11-26 09:00', ['2026-11-30', '2026-12-01']);
      const cancelled = explicitRelease('batal', '2026-12-03 09:00', ['2026-12-08'], { cancelled: true, cancelReason: 'Salah input' });
      const office = buildOffice({ calendar: { recurring: [rule], releases: [replacement, cancelled] } });
      expect(checkCalendar(office, WINDOW)).toEqual([]);
    });

    it('warns about a rule without service weekdays', () => {
      const rule = weeklyRule({ weekdays: [] });
      const problems = checkCalendar(buildOffice({ calendar: { recurring: [rule] } }), WINDOW);
      expect(problems).toEqual([
        {
          location: rule.location,
          message: 'Recurring rule weekly-friday has no service weekdays, so its releases cover no day: add weekdays, e.g. [1, 2, 3, 4, 5] for Monday–Friday.',
          severity: 'warning',
        },
      ]);
    });

    it('warns when every day of a release is closed, naming the reasons', () => {
      const entry = explicitRelease('natal', '2026-12-18 09:00', ['2026-12-25']);
      const rule = weeklyRule({ from: '2026-12-11', until: '2026-12-11' });
      const office = buildOffice({ calendar: { releases: [entry], recurring: [rule], closures: [closure('2026-12-14', '2026-12-18', 'Renovasi gedung')] } });
      const problems = checkCalendar(office, WINDOW);
      // Sorted by location: the explicit entry was written first.
      expect(problems.map((p) => [p.location, p.severity])).toEqual([
        [entry.location, 'warning'],
        [rule.location, 'warning'],
      ]);
      expect(problems[0]!.message).toBe(
        'explicit release natal opening 2026-12-18 covers only closed days (2026-12-25 Hari Raya Natal), so there is nothing to announce: cancel it or give it open days.',
      );
      expect(problems[1]!.message).toBe(
        'recurring rule weekly-friday opening 2026-12-11 covers only closed days (2026-12-14 Renovasi gedung, 2026-12-15 Renovasi gedung, 2026-12-16 Renovasi gedung, 2026-12-17 Renovasi gedung, 2026-12-18 Renovasi gedung), so there is nothing to announce: cancel it with cancelledOn or give it open days.',
      );
    });

    it('warns at the day when an explicit release lists a holiday, suggesting openAnyway', () => {
      const entry = explicitRelease('akhir-tahun', '2026-12-18 09:00', ['2026-12-24', '2026-12-25']);
      const problems = checkCalendar(buildOffice({ calendar: { releases: [entry] } }), WINDOW);
      expect(problems).toEqual([
        {
          location: entry.days[1]!.location,
          message:
            'Release akhir-tahun lists 2026-12-25, but the office is closed that day (Hari Raya Natal), so the day is left out: remove it, or if the office opens anyway add 2026-12-25 to holidays.openAnyway.',
          severity: 'warning',
        },
      ]);
      const open = buildOffice({ holidays: { openAnyway: ['2026-12-25'] }, calendar: { releases: [entry] } });
      expect(checkCalendar(open, WINDOW)).toEqual([]);
    });

    it('warns about a cancelledOn date the rule does not open on', () => {
      const rule = weeklyRule({ cancelledOn: [{ date: '2026-11-26' }, { date: '2026-11-27' }] });
      const problems = checkCalendar(buildOffice({ calendar: { recurring: [rule] } }), WINDOW);
      expect(problems).toHaveLength(1);
      expect(problems[0]!.message).toBe(
        'cancelledOn 2026-11-26 is not a date recurring rule weekly-friday opens on (it opens on Fridays), so nothing is cancelled: use the opening date of the release to cancel.',
      );
    });

    it('rejects twice-monthly days that are not increasing, warns about days past the 28th', () => {
      const reversed = twiceMonthlyRule([20, 5], { id: 'terbalik' });
      const late = twiceMonthlyRule([15, 30], { id: 'akhir' });
      const problems = checkCalendar(buildOffice({ calendar: { recurring: [reversed, late] } }), { from: '2027-02-01', to: '2027-02-01' });
      expect(problems.map((p) => [p.location, p.severity])).toEqual([
        [reversed.location, 'error'],
        [late.location, 'warning'],
      ]);
      expect(problems[0]!.message).toMatch(/days 20 and 5: give the two days in increasing order/);
      expect(problems[1]!.message).toMatch(/days 15 and 30, which some months do not have.*use days up to 28/);
    });

    it('warns about a rule that ends before it starts', () => {
      const rule = weeklyRule({ from: '2026-12-01', until: '2026-11-01' });
      const problems = checkCalendar(buildOffice({ calendar: { recurring: [rule] } }), WINDOW);
      expect(problems.map((p) => p.message)).toEqual([
        'Recurring rule weekly-friday ends (until 2026-11-01) before it starts (from 2026-12-01), so it never opens: fix the dates or remove the rule.',
      ]);
    });

    it('reports a release that closes before it opens', () => {
      const entry = explicitRelease('terbalik', '2026-11-20 14:00', ['2026-11-23'], { closesAt: { date: '2026-11-20', time: '13:00' } });
      const problems = checkCalendar(buildOffice({ calendar: { releases: [entry] } }), WINDOW);
      expect(problems.map((p) => formatProblem(p))).toEqual([
        `${where(entry.location)}: Release terbalik closes at or before it opens (2026-11-20 14:00 Asia/Pontianak): fix the closing time or remove it.`,
      ]);
    });

    it('reports an unknown holiday country at the office', () => {
      const office = buildOffice({ holidays: { country: 'IDN' } });
      const problems = checkCalendar(office, WINDOW);
      expect(problems).toHaveLength(1);
      expect(problems[0]!.location).toEqual(office.location);
      expect(problems[0]!.message).toMatch(/"IDN" is not a country .*"ID"/);
    });

    it('collects every problem at once, sorted by location', () => {
      const rule = weeklyRule({ weekdays: [] });
      const late = explicitRelease('telat', '2026-12-02 10:00', ['2026-12-02']);
      const csv = explicitRelease('csv-x', '2026-11-25 10:00', ['2026-12-25'], { origin: 'csv' });
      const problems = checkCalendar(buildOffice({ calendar: { recurring: [rule], releases: [late], imported: [csv] } }), WINDOW);
      expect(problems.map((p) => p.location!.file)).toEqual(['config/calendar.yaml', 'config/calendar.yaml', 'config/quota.csv']);
      expect(problems.map((p) => p.severity)).toEqual(['warning', 'error', 'warning']);
    });
  });
});

describe('calendar/check: openings on closed days', () => {
  it('warns when a recurring opening falls on a national holiday, and not once it is cancelled', () => {
    // Friday 2027-01-01 is New Year's Day in Indonesia.
    const rule = weeklyRule({ id: 'mingguan' });
    const office = buildOffice({ calendar: { releases: [], recurring: [rule], closures: [], imported: [] } });
    const problems = checkOpeningsOnClosedDays(office, { from: '2026-12-28', to: '2027-01-03' });
    expect(problems).toEqual([
      expect.objectContaining({ severity: 'warning', location: rule.location, message: expect.stringMatching(/^recurring rule mingguan opens on 2027-01-01, a day the office is closed \(.+\).*cancelledOn/) }),
    ]);
    const cancelled = buildOffice({ calendar: { releases: [], recurring: [{ ...rule, cancelledOn: [{ date: '2027-01-01' }] }], closures: [], imported: [] } });
    expect(checkOpeningsOnClosedDays(cancelled, { from: '2026-12-28', to: '2027-01-03' })).toEqual([]);
  });
});
