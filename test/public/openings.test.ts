/**
 * The openings the public page, the widget, the ICS feed and the API show: the
 * sample office (WIB, weekly, a cancelled one-off) and one unlike it (WIT, five
 * services, an opening at midnight), each opening's state at an injected `now`.
 */
import { openingState, publicOpenings } from '../../src/public/openings';
import { publicOffice } from '../../src/public/offices';
import { at, loadJayapura, loadSample } from '../console/offices';

const NOW = at('2026-12-03T09:00:00+07:00');

describe('public openings', () => {
  it('lists the sample office’s openings from 30 days back to its horizon, in order, with times in WIB', () => {
    const office = loadSample(NOW).config.offices[0]!;
    const openings = publicOpenings(office, NOW);
    expect(openings.map((o) => o.opensAt.getTime())).toEqual([...openings.map((o) => o.opensAt.getTime())].sort((a, b) => a - b));
    expect(openings[0]!.opensAt.getTime()).toBeGreaterThanOrEqual(NOW.getTime() - 31 * 86_400_000);
    const simpatik = openings.find((o) => o.releaseId === 'simpatik-desember')!;
    expect(simpatik).toMatchObject({ status: 'open', state: 'akan-dibuka', opensLabel: 'Jumat, 11 Desember 2026 pukul 09.00 WIB', closesLabel: 'Jumat, 11 Desember 2026 pukul 17.00 WIB', totalQuota: 80, note: 'Layanan Paspor Simpatik hari Sabtu' });
    expect(simpatik.days).toEqual([{ date: '2026-12-19', label: 'Sabtu, 19 Desember 2026', counts: [expect.objectContaining({ serviceId: 'regular', count: 80 }), expect.objectContaining({ serviceId: 'express', count: null })], total: 80 }]);
    expect(simpatik.serviceTotals.map((s) => [s.serviceId, s.count])).toEqual([['regular', 80], ['express', null]]);
    const cancelled = openings.find((o) => o.releaseId === 'simpatik-november')!;
    expect(cancelled).toMatchObject({ status: 'cancelled', state: 'dibatalkan', cancelReason: 'Dipindahkan ke Sabtu, 19 Desember 2026' });
  });

  it('a weekly opening: the days it covers with counts per service, holidays and closures left out and named', () => {
    const office = loadSample(NOW).config.offices[0]!;
    const christmasWeek = publicOpenings(office, NOW).find((o) => o.releaseId === 'mingguan@2026-12-18')!;
    expect(christmasWeek.opensLabel).toBe('Jumat, 18 Desember 2026 pukul 14.00 WIB');
    expect(christmasWeek.closedDays.map((d) => d.date)).toEqual(expect.arrayContaining(['2026-12-24', '2026-12-25']));
    expect(christmasWeek.days.every((d) => !['2026-12-24', '2026-12-25'].includes(d.date))).toBe(true);
    expect(christmasWeek.totalQuota).toBe(christmasWeek.days.length * 140);
  });

  it('an office unlike the sample: WIT, five services, an opening at midnight', () => {
    const office = loadJayapura(NOW).config.offices[0]!;
    const midnight = publicOpenings(office, NOW).find((o) => o.releaseId === 'tengah-malam')!;
    expect(midnight.opensAt.toISOString()).toBe('2026-12-14T15:00:00.000Z');
    expect(midnight.opensLabel).toBe('Selasa, 15 Desember 2026 pukul 00.00 WIT');
    expect(midnight.days[0]!.counts).toHaveLength(office.services.length);
    expect(publicOffice(office, NOW)).toMatchObject({ id: office.id, zoneLabel: 'WIT', city: '' });
  });

  it('state: akan dibuka, then dibuka until it closes (or its last service day ends), then ditutup', () => {
    const release = { status: 'open' as const, opensAt: at('2026-12-11T07:00:00Z'), closesAt: null, days: [{ date: '2026-12-14' as const, quota: { regular: 1 } }] };
    const zone = 'Asia/Pontianak';
    expect(openingState(release, at('2026-12-11T06:59:59Z'), zone)).toBe('akan-dibuka');
    expect(openingState(release, at('2026-12-11T07:00:00Z'), zone)).toBe('dibuka');
    expect(openingState(release, at('2026-12-14T16:59:59Z'), zone)).toBe('dibuka');
    expect(openingState(release, at('2026-12-14T17:00:00Z'), zone)).toBe('ditutup');
    const closing = { ...release, closesAt: at('2026-12-11T10:00:00Z') };
    expect(openingState(closing, at('2026-12-11T09:59:59Z'), zone)).toBe('dibuka');
    expect(openingState(closing, at('2026-12-11T10:00:00Z'), zone)).toBe('ditutup');
    expect(openingState({ ...release, status: 'cancelled' }, at('2026-12-01T00:00:00Z'), zone)).toBe('dibatalkan');
  });

  it('the fingerprint changes with what the public sees, not with the state or the day of asking', () => {
    const office = loadSample(NOW).config.offices[0]!;
    const find = (now: Date) => publicOpenings(office, now).find((o) => o.releaseId === 'simpatik-desember')!;
    const before = find(NOW);
    const during = find(at('2026-12-11T10:00:00+07:00'));
    expect(during.state).toBe('dibuka');
    expect(during.fingerprint).toBe(before.fingerprint);
    const edited = {
      ...office,
      calendar: { ...office.calendar, releases: office.calendar.releases.map((r) => (r.id === 'simpatik-desember' ? { ...r, days: r.days.map((d) => ({ ...d, quota: { regular: 90 } })) } : r)) },
    };
    expect(publicOpenings(edited, NOW).find((o) => o.releaseId === 'simpatik-desember')!.fingerprint).not.toBe(before.fingerprint);
  });
});
