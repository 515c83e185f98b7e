import { createClosedDayLookup } from '../../src/calendar/closed-days';
import { expandExplicitRelease } from '../../src/calendar/explicit';
import { explicitRelease } from './office-builder';

describe('calendar/explicit', () => {
  const office = { id: 'kanim-pontianak', timezone: 'Asia/Pontianak' };
  const isClosed = createClosedDayLookup({ country: 'ID', openAnyway: [] }, []);

  it('turns local opening and closing times into instants in the office zone', () => {
    const entry = explicitRelease('lebaran-extra', '2026-12-18 10:00', ['2026-12-21', { date: '2026-12-22', quota: { regular: 300 } }], {
      closesAt: { date: '2026-12-18', time: '16:30' },
      note: 'Kuota tambahan akhir tahun',
    });
    const release = expandExplicitRelease(entry, office, isClosed);
    expect(release).toEqual({
      id: 'lebaran-extra',
      officeId: 'kanim-pontianak',
      origin: 'explicit',
      opensAt: new Date('2026-12-18T03:00:00Z'),
      closesAt: new Date('2026-12-18T09:30:00Z'),
      opensOn: '2026-12-18',
      status: 'open',
      note: 'Kuota tambahan akhir tahun',
      days: [
        { date: '2026-12-21', quota: { regular: 120, express: 20 } },
        { date: '2026-12-22', quota: { regular: 300 } },
      ],
      removedDays: [],
      location: entry.location,
    });
  });

  it('removes a listed holiday and keeps the reason', () => {
    const entry = explicitRelease('natal', '2026-12-18 10:00', ['2026-12-25', '2026-12-24']);
    const release = expandExplicitRelease(entry, office, isClosed);
    expect(release.days.map((d) => d.date)).toEqual(['2026-12-24']);
    expect(release.removedDays).toEqual([{ date: '2026-12-25', reason: 'Hari Raya Natal', kind: 'holiday' }]);
  });

  it('keeps a cancelled release as cancelled with its reason', () => {
    const entry = explicitRelease('dibatalkan', '2026-12-04 14:00', ['2026-12-07'], { cancelled: true, cancelReason: 'Server M-Paspor dalam perbaikan' });
    const release = expandExplicitRelease(entry, office, isClosed);
    expect(release.status).toBe('cancelled');
    expect(release.cancelReason).toBe('Server M-Paspor dalam perbaikan');
    expect(release.days).toHaveLength(1);
  });

  it('marks CSV rows with their origin and CSV location', () => {
    const entry = explicitRelease('csv-2026-12-04-1400', '2026-12-04 14:00', ['2026-12-07'], { origin: 'csv' });
    const release = expandExplicitRelease(entry, office, isClosed);
    expect(release.origin).toBe('csv');
    expect(release.location.file).toBe('config/quota.csv');
    expect(release.closesAt).toBeNull();
  });
});
