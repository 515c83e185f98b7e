/**
 * console/calendar on both engines: the sample office's November and December
 * 2026 (weekly openings, a cancelled one, cuti bersama, a holiday, a closure;
 * announcements in every ledger state) and Jayapura (WIT, monthly, five
 * services, an opening at midnight, a month without openings).
 */
import { buildCalendar, CalendarRangeError, type AgendaItem, type OpeningView } from '../../src/console/calendar';
import { DIALECTS, useTestStore } from '../support/databases';
import { at, consoleOffice, fail, loadJayapura, loadSample, planInto, postOf, publish } from './offices';

const SAMPLE = 'kanim-pontianak';
const WEEK = 'mingguan@2026-11-27';
const PLAN_AT = at('2026-11-26T08:00+07:00');
const NOW = at('2026-11-27T13:30+07:00');

function opening(agenda: AgendaItem[], releaseId: string): OpeningView {
  const item = agenda.find((each) => each.kind === 'opening' && each.opening.releaseId === releaseId);
  if (!item || item.kind !== 'opening') throw new Error(`no opening ${releaseId}`);
  return item.opening;
}

describe.each(DIALECTS)('console/calendar on %s', (dialect) => {
  const ctx = useTestStore(dialect);

  test('this month and next: openings with time, service days and counts, each announcement\'s state per channel', async () => {
    const loaded = loadSample(PLAN_AT);
    await planInto(ctx.store, loaded, PLAN_AT);
    await publish(ctx.store, await postOf(ctx.store, SAMPLE, 'h-1', WEEK, 'x'), { remoteId: '1862000000000000001', url: 'https://x.com/imigrasiptk/status/1862000000000000001' });
    await fail(ctx.store, await postOf(ctx.store, SAMPLE, 'h-1', WEEK, 'instagram'), 'expired', 'no retry could finish before the deadline');
    await fail(ctx.store, await postOf(ctx.store, SAMPLE, 'h-60m', WEEK, 'x'), 'dead', 'X refused the post (403)');

    const view = await buildCalendar(ctx.store, consoleOffice(loadSample(NOW)), { now: NOW });
    expect(view).toMatchObject({ officeId: SAMPLE, zone: 'Asia/Pontianak', zoneName: 'WIB', today: '2026-11-27', range: { from: '2026-11-01', to: '2026-12-31' } });
    expect(view.services.map((service) => service.id)).toEqual(['regular', 'express']);

    const week = opening(view.agenda, WEEK);
    expect(week).toMatchObject({ status: 'open', opensOn: '2026-11-27', opensOnLabel: 'Jumat, 27 November 2026', opensAtTime: '14.00 WIB', opensAt: { text: 'Jum 27 Nov 14.00 WIB' } });
    expect(week.serviceDays.map((day) => day.date)).toEqual(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04']);
    expect(week.serviceDays[0]).toMatchObject({ dateLabel: 'Senin, 30 November 2026', total: 140, counts: [{ serviceId: 'regular', name: 'Paspor Reguler', count: 120 }, { serviceId: 'express', count: 20 }] });
    expect(week.totals.map((total) => total.count)).toEqual([600, 100]);
    const states = week.announcements.map((a) => [a.ruleId, a.dueAt.text, a.channels.map((c) => `${c.label}:${c.state}`).join(' ')]);
    expect(states).toEqual([
      ['h-1', 'Kam 26 Nov 19.00 WIB', 'instagram:expired x:published'],
      ['h-60m', 'Jum 27 Nov 13.00 WIB', 'instagram:planned x:dead'],
      ['opening', 'Jum 27 Nov 14.00 WIB', 'instagram:planned x:planned'],
    ]);
    expect(week.announcements[0]!.channels[1]).toMatchObject({ link: 'https://x.com/imigrasiptk/status/1862000000000000001', stateLabel: 'Terkirim' });
    expect(week.announcements[1]!.channels[1]).toMatchObject({ stateLabel: 'Gagal', lastError: 'X refused the post (403)' });

    // Before the bot planned anything: the config's announcements, never sent.
    const early = opening(view.agenda, 'mingguan@2026-11-06');
    expect(early.announcements.flatMap((a) => a.channels.map((c) => [c.postId, c.state, c.stateLabel]))).toContainEqual([null, 'not-planned', 'Tidak dijadwalkan']);
    // Cancelled in the calendar: shown with the reason, nothing announced.
    const cancelled = opening(view.agenda, 'simpatik-november');
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'Dipindahkan ke Sabtu, 19 Desember 2026', note: 'Layanan Paspor Simpatik hari Sabtu', announcements: [] });
    const christmas = opening(view.agenda, 'mingguan@2026-12-25');
    expect(christmas.status).toBe('cancelled');
    // The Saturday service: one service only.
    expect(opening(view.agenda, 'simpatik-desember').serviceDays[0]!.counts).toEqual([
      { serviceId: 'regular', name: 'Paspor Reguler', shortName: 'Reguler', count: 80 },
      { serviceId: 'express', name: 'Paspor Percepatan', shortName: 'Percepatan', count: null },
    ]);
    expect(opening(view.agenda, 'simpatik-desember').closesAt?.text).toBe('Jum 11 Des 17.00 WIB');

    // Closed days: cuti bersama, the national holiday, the office's own closure.
    const closed = view.agenda.filter((item) => item.kind === 'closed').map((item) => (item.kind === 'closed' ? [item.date, item.closed.kind] : []));
    expect(closed).toEqual(expect.arrayContaining([['2026-12-24', 'cuti-bersama'], ['2026-12-25', 'holiday'], ['2026-12-28', 'closure'], ['2026-12-31', 'closure']]));
    // The agenda is by date; a closed day before an opening on the same date.
    const dates = view.agenda.map((item) => item.date);
    expect(dates).toEqual([...dates].sort());
    const dec25 = view.agenda.filter((item) => item.date === '2026-12-25').map((item) => item.kind);
    expect(dec25).toEqual(['closed', 'opening']);
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });

  test('month grids, Monday first, in the office\'s zone', async () => {
    const view = await buildCalendar(ctx.store, consoleOffice(loadSample(NOW)), { now: NOW });
    expect(view.months.map((month) => [month.month, month.label, month.weeks.length])).toEqual([
      ['2026-11', 'November 2026', 6],
      ['2026-12', 'Desember 2026', 5],
    ]);
    const november = view.months[0]!;
    expect(november.weekdays).toEqual(['Sen', 'Sel', 'Rab', 'Kam', 'Jum', 'Sab', 'Min']);
    // 1 November 2026 is a Sunday: the first row starts on Monday 26 October.
    expect(november.weeks[0]![0]).toMatchObject({ date: '2026-10-26', inMonth: false, inRange: false });
    expect(november.weeks[0]![6]).toMatchObject({ date: '2026-11-01', day: 1, inMonth: true, inRange: true, weekend: true });
    const days = view.months.flatMap((month) => month.weeks.flat());
    const day = (date: string) => days.find((each) => each.date === date && each.inMonth)!;
    expect(day('2026-11-27')).toMatchObject({ today: true, openings: [{ releaseId: WEEK, opensAtTime: '14.00 WIB', status: 'open' }] });
    expect(day('2026-12-01').service).toEqual([{ releaseId: WEEK, total: 140 }]);
    expect(day('2026-12-25')).toMatchObject({ closed: { kind: 'holiday' }, openings: [{ status: 'cancelled' }], service: [] });
    expect(days.filter((each) => each.today)).toHaveLength(1);
  });

  test('Jayapura (WIT): five services, an opening at midnight on its own date, a monthly release covering next month', async () => {
    const now = at('2026-12-14T20:00+09:00');
    const view = await buildCalendar(ctx.store, consoleOffice(loadJayapura(now)), { now });
    expect(view).toMatchObject({ zoneName: 'WIT', today: '2026-12-14', range: { from: '2026-12-01', to: '2027-01-31' } });
    expect(view.services).toHaveLength(5);
    const midnight = opening(view.agenda, 'tengah-malam');
    // 00.00 WIT on the 15th is still the 14th in UTC (and in the host zone of this run, whatever it is).
    expect(midnight).toMatchObject({ opensOn: '2026-12-15', opensAtTime: '00.00 WIT', opensAt: { iso: '2026-12-14T15:00:00.000Z', text: 'Sel 15 Des 00.00 WIT' }, note: 'Dibuka tepat tengah malam' });
    expect(midnight.serviceDays[0]!.counts.map((count) => count.count)).toEqual([50, null, null, null, null]);
    expect(midnight.announcements.map((a) => [a.ruleId, a.dueAt.text, a.channels.map((c) => c.state).join(' ')])).toEqual([
      ['h-1', 'Sen 14 Des 19.00 WIT', 'not-planned not-planned'],
      ['opening', 'Sel 15 Des 00.00 WIT', 'not-planned-yet not-planned-yet'],
    ]);
    const days = view.months.flatMap((month) => month.weeks.flat().filter((day) => day.inMonth));
    expect(days.find((day) => day.date === '2026-12-15')!.openings.map((o) => o.releaseId)).toEqual(['tengah-malam']);
    expect(days.find((day) => day.date === '2026-12-14')!.openings).toEqual([]);
    // December's service days come from the release of 30 November, before the range.
    expect(days.find((day) => day.date === '2026-12-01')!.service).toEqual([{ releaseId: 'bulanan@2026-11-30', total: 280 }]);
    const monthly = opening(view.agenda, 'bulanan@2026-12-31');
    expect(monthly.opensAtTime).toBe('09.00 WIT');
    expect(monthly.totals.map((total) => [total.serviceId, total.count])).toEqual([
      ['reguler', 200 * monthly.serviceDays.length],
      ['percepatan', 35 * monthly.serviceDays.length],
      ['lansia', 20 * monthly.serviceDays.length],
      ['umroh', 15 * monthly.serviceDays.length],
      ['pmi', 10 * monthly.serviceDays.length],
    ]);
    // New Year's Day is a holiday: removed from the days January's release covers.
    expect(monthly.removedDays.map((day) => [day.date, day.kind])).toContainEqual(['2027-01-01', 'holiday']);
    expect(view.agenda.find((item) => item.date === '2026-12-24')).toMatchObject({ kind: 'closed', closed: { kind: 'cuti-bersama' } });
  });

  test('Jayapura, planned by the bot: the ledger states replace the plan', async () => {
    const planAt = at('2026-12-14T12:00+09:00');
    await planInto(ctx.store, loadJayapura(planAt), planAt);
    await publish(ctx.store, await postOf(ctx.store, 'kanim-jayapura', 'h-1', 'tengah-malam', 'x-papua'), { remoteId: '1867000000000000009', url: 'https://x.com/imigrasijayapura/status/1867000000000000009' });
    const now = at('2026-12-14T20:00+09:00');
    const view = await buildCalendar(ctx.store, consoleOffice(loadJayapura(now)), { now });
    const midnight = opening(view.agenda, 'tengah-malam');
    expect(midnight.announcements.map((a) => a.channels.map((c) => `${c.label}:${c.state}`).join(' '))).toEqual(['ig:planned x-papua:published', 'ig:planned x-papua:planned']);
    expect(midnight.announcements[0]!.channels[1]!.link).toBe('https://x.com/imigrasijayapura/status/1867000000000000009');
  });

  test('a month without openings still has its grid and its holidays', async () => {
    const now = at('2026-12-14T20:00+09:00');
    const view = await buildCalendar(ctx.store, consoleOffice(loadJayapura(now)), { now, from: '2027-03-01', to: '2027-03-31', lang: 'en' });
    expect(view.agenda.filter((item) => item.kind === 'opening')).toEqual([]);
    expect(view.agenda.length).toBeGreaterThan(0);
    expect(view.agenda.every((item) => item.kind === 'closed' && item.closed.kind === 'holiday')).toBe(true);
    expect(view.months).toHaveLength(1);
    expect(view.months[0]).toMatchObject({ label: 'March 2027', weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] });
    // 1 March 2027 is a Monday: no leading days.
    expect(view.months[0]!.weeks[0]![0]).toMatchObject({ date: '2027-03-01', inMonth: true });
    expect(view.months[0]!.weeks.flat().every((day) => day.openings.length === 0 && day.service.length === 0)).toBe(true);
  });

  test('a range that is not one is refused with the reason', async () => {
    const office = consoleOffice(loadSample(NOW));
    await expect(buildCalendar(ctx.store, office, { now: NOW, from: '2026-12-01', to: '2026-11-01' })).rejects.toThrow(CalendarRangeError);
    await expect(buildCalendar(ctx.store, office, { now: NOW, from: '2026-02-30' })).rejects.toThrow('is not a date');
  });
});
