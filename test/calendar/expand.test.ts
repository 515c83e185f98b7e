import { expandCalendar } from '../../src/calendar/expand';
import { buildOffice, closure, explicitRelease, weeklyRule } from './office-builder';

describe('calendar/expand', () => {
  describe('expandCalendar', () => {
    it('merges recurring, explicit and CSV releases opening in the window, sorted by opening time then id', () => {
      const office = buildOffice({
        calendar: {
          recurring: [weeklyRule()],
          releases: [
            explicitRelease('b-extra', '2026-12-04 14:00', ['2026-12-12']),
            explicitRelease('a-extra', '2026-12-04 14:00', ['2026-12-13']),
            explicitRelease('before-window', '2026-11-20 09:00', ['2026-11-23']),
            explicitRelease('pagi', '2026-12-02 08:00', ['2026-12-05']),
          ],
          imported: [explicitRelease('csv-2026-12-10-0900', '2026-12-10 09:00', ['2026-12-19'], { origin: 'csv' })],
        },
      });
      const { officeId, releases } = expandCalendar(office, { from: '2026-11-28', to: '2026-12-11' });
      expect(officeId).toBe('kanim-pontianak');
      expect(releases.map((r) => [r.id, r.origin])).toEqual([
        ['pagi', 'explicit'],
        ['a-extra', 'explicit'],
        ['b-extra', 'explicit'],
        ['weekly-friday@2026-12-04', 'recurring'],
        ['csv-2026-12-10-0900', 'csv'],
        ['weekly-friday@2026-12-11', 'recurring'],
      ]);
    });

    it('decides the window by the local opening date, not the UTC one', () => {
      // 06:00 WIB on 1 December is still 30 November in UTC.
      const office = buildOffice({ calendar: { releases: [explicitRelease('dini', '2026-12-01 06:00', ['2026-12-02'])] } });
      expect(expandCalendar(office, { from: '2026-12-01', to: '2026-12-01' }).releases.map((r) => r.id)).toEqual(['dini']);
      expect(expandCalendar(office, { from: '2026-11-30', to: '2026-11-30' }).releases).toEqual([]);
    });

    it('removes holidays and closures from covered days, with reasons, and keeps openAnyway holidays', () => {
      const office = buildOffice({
        holidays: { openAnyway: ['2026-12-25'] },
        calendar: {
          recurring: [weeklyRule()],
          closures: [closure('2026-12-02', '2026-12-02', 'Pemeliharaan sistem'), closure('2026-12-23', '2026-12-24', 'Cuti bersama Natal')],
        },
      });
      const { releases } = expandCalendar(office, { from: '2026-11-27', to: '2026-12-18' });
      const byDate = new Map(releases.map((r) => [r.opensOn, r]));
      expect(byDate.get('2026-11-27')!.days.map((d) => d.date)).toEqual(['2026-11-30', '2026-12-01', '2026-12-03', '2026-12-04']);
      expect(byDate.get('2026-11-27')!.removedDays).toEqual([{ date: '2026-12-02', reason: 'Pemeliharaan sistem', kind: 'closure' }]);
      expect(byDate.get('2026-12-18')!.days.map((d) => d.date)).toEqual(['2026-12-21', '2026-12-22', '2026-12-25']);
      expect(byDate.get('2026-12-18')!.removedDays.map((r) => [r.date, r.reason])).toEqual([
        ['2026-12-23', 'Cuti bersama Natal'],
        ['2026-12-24', 'Cuti bersama Natal'],
      ]);
    });

    it('takes Indonesian holidays of 2027 off a week: Idul Fitri and Nyepi', () => {
      const office = buildOffice({ calendar: { recurring: [weeklyRule()] } });
      const [release] = expandCalendar(office, { from: '2027-03-05', to: '2027-03-05' }).releases;
      expect(release!.days.map((d) => d.date)).toEqual(['2027-03-11', '2027-03-12']);
      expect(release!.removedDays).toEqual([
        { date: '2027-03-08', reason: 'Hari Suci Nyepi Tahun Baru Saka 1949', kind: 'holiday' },
        { date: '2027-03-09', reason: 'Hari Raya Idulfitri 1448 Hijriah', kind: 'holiday' },
        { date: '2027-03-10', reason: 'Hari Raya Idulfitri 1448 Hijriah', kind: 'holiday' },
      ]);
    });

    it('lists closed weekdays of the window, not holidays on an ordinary weekend', () => {
      const office = buildOffice({ calendar: { closures: [closure('2026-05-11', '2026-05-11', 'Rapat kerja')] } });
      const { closedDays, releases } = expandCalendar(office, { from: '2026-05-01', to: '2026-05-31' });
      expect(releases).toEqual([]);
      // Waisak, 31 May 2026, is a Sunday.
      expect(closedDays).toEqual([
        { date: '2026-05-01', reason: 'Hari Buruh Internasional', kind: 'holiday' },
        { date: '2026-05-11', reason: 'Rapat kerja', kind: 'closure' },
        { date: '2026-05-14', reason: 'Kenaikan Yesus Kristus', kind: 'holiday' },
        { date: '2026-05-27', reason: 'Hari Raya Iduladha 1447 Hijriah', kind: 'holiday' },
      ]);
    });

    it('lists a weekend holiday when a release of the office actually loses it', () => {
      const sundayService = weeklyRule({ id: 'minggu', pattern: { every: 'weekly', weekday: 1, weeksAhead: 0 }, weekdays: [0], time: '08:00' });
      const office = buildOffice({ calendar: { recurring: [sundayService] } });
      const { closedDays } = expandCalendar(office, { from: '2026-05-25', to: '2026-05-31' });
      expect(closedDays.map((d) => d.date)).toEqual(['2026-05-27', '2026-05-31']);
    });

    it('uses no national holidays when the country is null', () => {
      const office = buildOffice({ holidays: { country: null }, calendar: { recurring: [weeklyRule()] } });
      const { releases, closedDays } = expandCalendar(office, { from: '2026-12-18', to: '2026-12-18' });
      expect(releases[0]!.days).toHaveLength(5);
      expect(closedDays).toEqual([]);
    });

    it('returns nothing for an empty window', () => {
      const office = buildOffice({ calendar: { recurring: [weeklyRule()] } });
      expect(expandCalendar(office, { from: '2026-12-19', to: '2026-12-18' })).toEqual({
        officeId: 'kanim-pontianak',
        releases: [],
        closedDays: [],
      });
    });

    it('expands an office in Europe/Berlin with German holidays and DST-correct instants', () => {
      const office = buildOffice({
        id: 'berlin',
        timezone: 'Europe/Berlin',
        locale: 'de-DE',
        holidays: { country: 'DE', region: 'BE' },
        calendar: { recurring: [weeklyRule({ pattern: { every: 'weekly', weekday: 0, weeksAhead: 0 }, time: '09:30' })] },
      });
      const { releases } = expandCalendar(office, { from: '2026-03-29', to: '2026-04-05' });
      expect(releases.map((r) => r.opensAt.toISOString())).toEqual(['2026-03-29T07:30:00.000Z', '2026-04-05T07:30:00.000Z']);
      // Sunday 29 March opens for the week of 23 March, which lies before it; 5 April covers Holy Week.
      expect(releases[1]!.removedDays).toEqual([{ date: '2026-04-03', reason: 'Karfreitag', kind: 'holiday' }]);
    });
  });
});
