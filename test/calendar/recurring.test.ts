import { createClosedDayLookup } from '../../src/calendar/closed-days';
import { expandRecurringRule, listRecurringOpenings } from '../../src/calendar/recurring';
import type { Release } from '../../src/calendar/types';
import type { RecurringRelease } from '../../src/config/types';
import { monthlyRule, twiceMonthlyRule, weeklyRule } from './office-builder';

const PONTIANAK = { id: 'kanim-pontianak', timezone: 'Asia/Pontianak' };
const idHolidays = createClosedDayLookup({ country: 'ID', openAnyway: [] }, []);
const noHolidays = createClosedDayLookup({ country: null, openAnyway: [] }, []);

function expand(rule: RecurringRelease, from: string, to: string, office = PONTIANAK): Release[] {
  return expandRecurringRule(rule, office, { from, to }, idHolidays);
}

const datesOf = (release: Release | undefined): string[] => release?.days.map((d) => d.date) ?? [];

describe('calendar/recurring', () => {
  describe('weekly', () => {
    it('opens every Friday 14:00 WIB and covers Monday–Friday of the next ISO week', () => {
      const releases = expand(weeklyRule(), '2026-11-27', '2026-11-27');
      expect(releases).toHaveLength(1);
      const [release] = releases;
      expect(release!.id).toBe('weekly-friday@2026-11-27');
      expect(release!.opensOn).toBe('2026-11-27');
      expect(release!.opensAt.toISOString()).toBe('2026-11-27T07:00:00.000Z');
      expect(release!.closesAt).toBeNull();
      expect(release!.origin).toBe('recurring');
      expect(release!.status).toBe('open');
      expect(datesOf(release)).toEqual(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04']);
      expect(release!.days[0]!.quota).toEqual({ regular: 120, express: 20 });
    });

    it('runs over months and across the year end, holidays moved to removedDays', () => {
      const releases = expand(weeklyRule(), '2026-11-01', '2027-01-31');
      expect(releases.map((r) => r.opensOn)).toEqual([
        '2026-11-06', '2026-11-13', '2026-11-20', '2026-11-27',
        '2026-12-04', '2026-12-11', '2026-12-18', '2026-12-25',
        '2027-01-01', '2027-01-08', '2027-01-15', '2027-01-22', '2027-01-29',
      ]);
      const christmasWeek = releases.find((r) => r.opensOn === '2026-12-18');
      expect(datesOf(christmasWeek)).toEqual(['2026-12-21', '2026-12-22', '2026-12-23', '2026-12-24']);
      expect(christmasWeek!.removedDays).toEqual([{ date: '2026-12-25', reason: 'Hari Raya Natal', kind: 'holiday' }]);
      const newYearWeek = releases.find((r) => r.opensOn === '2026-12-25');
      expect(datesOf(newYearWeek)).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31']);
      expect(newYearWeek!.removedDays).toEqual([{ date: '2027-01-01', reason: 'Tahun Baru 2027 Masehi', kind: 'holiday' }]);
    });

    it('covers a week further ahead with weeksAhead 2', () => {
      const rule = weeklyRule({ pattern: { every: 'weekly', weekday: 5, weeksAhead: 2 } });
      expect(datesOf(expand(rule, '2026-11-27', '2026-11-27')[0])).toEqual([
        '2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11',
      ]);
    });

    it('treats Sunday as the last day of the ISO week', () => {
      const rule = weeklyRule({ pattern: { every: 'weekly', weekday: 1, weeksAhead: 0 }, weekdays: [0, 6], time: '08:00' });
      expect(datesOf(expand(rule, '2026-11-30', '2026-11-30')[0])).toEqual(['2026-12-05', '2026-12-06']);
    });

    it('opens only between from and until', () => {
      const rule = weeklyRule({ from: '2026-11-10', until: '2026-12-10' });
      expect(expand(rule, '2026-11-01', '2026-12-31').map((r) => r.opensOn)).toEqual([
        '2026-11-13', '2026-11-20', '2026-11-27', '2026-12-04',
      ]);
      expect(expand(weeklyRule({ from: '2027-01-01' }), '2026-11-01', '2026-12-31')).toEqual([]);
    });

    it('keeps a cancelledOn opening as a cancelled release with its reason', () => {
      const rule = weeklyRule({
        cancelledOn: [{ date: '2026-11-27', reason: 'Gangguan sistem M-Paspor' }, { date: '2026-12-04' }],
      });
      const releases = expand(rule, '2026-11-20', '2026-12-11');
      expect(releases.map((r) => [r.opensOn, r.status, r.cancelReason])).toEqual([
        ['2026-11-20', 'open', undefined],
        ['2026-11-27', 'cancelled', 'Gangguan sistem M-Paspor'],
        ['2026-12-04', 'cancelled', undefined],
        ['2026-12-11', 'open', undefined],
      ]);
      expect(datesOf(releases[1])).toHaveLength(5);
    });

    it('closes closesAfterMinutes after opening and carries the note', () => {
      const rule = weeklyRule({ closesAfterMinutes: 120, note: 'Kuota terbatas' });
      const [release] = expand(rule, '2026-11-27', '2026-11-27');
      expect(release!.closesAt?.toISOString()).toBe('2026-11-27T09:00:00.000Z');
      expect(release!.note).toBe('Kuota terbatas');
    });
  });

  describe('monthly on a day', () => {
    it('clamps day 31 to the end of shorter months', () => {
      const openings = listRecurringOpenings(monthlyRule(31), { from: '2026-01-01', to: '2026-06-30' }, noHolidays);
      expect(openings.map((o) => o.opensOn)).toEqual([
        '2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30',
      ]);
    });

    it('opens on 29 February in the leap year 2028 and 28 February in 2027', () => {
      expect(expand(monthlyRule(31), '2028-02-01', '2028-02-29').map((r) => r.id)).toEqual(['monthly@2028-02-29']);
      expect(expand(monthlyRule(30), '2027-02-01', '2027-02-28').map((r) => r.id)).toEqual(['monthly@2027-02-28']);
    });

    it('covers the weekdays of the next month, minus holidays', () => {
      const [release] = expand(monthlyRule(31), '2026-01-01', '2026-01-31');
      expect(release!.opensAt.toISOString()).toBe('2026-01-31T02:00:00.000Z');
      expect(release!.days).toHaveLength(19);
      expect(release!.days[0]!.date).toBe('2026-02-02');
      expect(release!.days.at(-1)!.date).toBe('2026-02-27');
      expect(release!.removedDays).toEqual([{ date: '2026-02-17', reason: 'Tahun Baru Imlek 2577 Kongzili', kind: 'holiday' }]);
    });

    it('covers a month further ahead with monthsAhead, across the year end', () => {
      const rule = monthlyRule(15, { pattern: { every: 'monthly', day: 15, monthsAhead: 2 } });
      const [release] = expand(rule, '2026-11-15', '2026-11-15');
      expect(release!.days[0]!.date).toBe('2027-01-04');
      expect(release!.days.at(-1)!.date).toBe('2027-01-29');
    });
  });

  describe('monthly on the last working day', () => {
    it('steps back over a weekend: January 2026 ends on a Saturday', () => {
      expect(expand(monthlyRule('last-working-day'), '2026-01-01', '2026-01-31').map((r) => r.opensOn)).toEqual([
        '2026-01-30',
      ]);
    });

    it('steps back over a weekend and a holiday: Good Friday 2029-03-30', () => {
      expect(expand(monthlyRule('last-working-day'), '2029-03-01', '2029-03-31').map((r) => r.opensOn)).toEqual([
        '2029-03-29',
      ]);
    });

    it('steps back over a closure', () => {
      const lookup = createClosedDayLookup({ country: 'ID', openAnyway: [] }, [
        { from: '2026-12-31', to: '2026-12-31', reason: 'Tutup buku akhir tahun', location: { file: 'c.yaml', line: 1, col: 1 } },
      ]);
      const releases = expandRecurringRule(monthlyRule('last-working-day'), PONTIANAK, { from: '2026-12-01', to: '2026-12-31' }, lookup);
      expect(releases.map((r) => r.opensOn)).toEqual(['2026-12-30']);
    });
  });

  describe('twice-monthly', () => {
    it('covers day b to month end from day a, and 1 to b-1 of the next month from day b', () => {
      const releases = expand(twiceMonthlyRule([1, 16]), '2026-11-01', '2026-11-30');
      expect(releases.map((r) => r.id)).toEqual(['twice@2026-11-01', 'twice@2026-11-16']);
      expect(datesOf(releases[0])).toEqual([
        '2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20',
        '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-30',
      ]);
      expect(datesOf(releases[1])).toEqual([
        '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-07',
        '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-14', '2026-12-15',
      ]);
    });

    it('covers every weekday exactly once over a year', () => {
      const covered = expand(twiceMonthlyRule([5, 20]), '2025-12-01', '2026-12-31')
        .flatMap((r) => [...r.days, ...r.removedDays].map((d) => d.date))
        .filter((date) => date >= '2026-01-01' && date <= '2026-12-31');
      expect(new Set(covered).size).toBe(covered.length);
      expect(covered).toHaveLength(261); // weekdays of 2026
    });
  });

  describe('time zones', () => {
    it('converts the opening time in WIT (Asia/Jayapura) and WITA (Asia/Makassar)', () => {
      const jayapura = expand(weeklyRule(), '2026-11-27', '2026-11-27', { id: 'kanim-jayapura', timezone: 'Asia/Jayapura' });
      const makassar = expand(weeklyRule(), '2026-11-27', '2026-11-27', { id: 'kanim-makassar', timezone: 'Asia/Makassar' });
      expect(jayapura[0]!.opensAt.toISOString()).toBe('2026-11-27T05:00:00.000Z');
      expect(makassar[0]!.opensAt.toISOString()).toBe('2026-11-27T06:00:00.000Z');
      expect(jayapura[0]!.officeId).toBe('kanim-jayapura');
    });

    it('gives the right UTC instants around the DST changes in Europe/Berlin', () => {
      const berlin = { id: 'berlin', timezone: 'Europe/Berlin' };
      const sunday = (time: string): RecurringRelease =>
        weeklyRule({ id: `sun-${time}`, pattern: { every: 'weekly', weekday: 0, weeksAhead: 1 }, time });
      const at10 = expandRecurringRule(sunday('10:00'), berlin, { from: '2026-03-22', to: '2026-11-01' }, noHolidays);
      const instants = new Map(at10.map((r) => [r.opensOn, r.opensAt.toISOString()]));
      expect(instants.get('2026-03-22')).toBe('2026-03-22T09:00:00.000Z'); // CET
      expect(instants.get('2026-03-29')).toBe('2026-03-29T08:00:00.000Z'); // CEST from 02:00 that night
      expect(instants.get('2026-10-18')).toBe('2026-10-18T08:00:00.000Z'); // CEST
      expect(instants.get('2026-10-25')).toBe('2026-10-25T09:00:00.000Z'); // CET again from 03:00
      // 02:30 does not exist on 29 March (moved an hour on) and happens twice on 25 October (first one).
      const at0230 = expandRecurringRule(sunday('02:30'), berlin, { from: '2026-03-29', to: '2026-10-25' }, noHolidays);
      const gap = at0230.find((r) => r.opensOn === '2026-03-29');
      const overlap = at0230.find((r) => r.opensOn === '2026-10-25');
      expect(gap!.opensAt.toISOString()).toBe('2026-03-29T01:30:00.000Z');
      expect(overlap!.opensAt.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    });
  });
});
