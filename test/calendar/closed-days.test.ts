import {
  clampedDayOf,
  createClosedDayLookup,
  isWeekend,
  lastWorkingDayOf,
  listClosedDays,
  splitClosedDays,
} from '../../src/calendar/closed-days';
import { closure } from './office-builder';

describe('calendar/closed-days', () => {
  const cutiBersama = closure('2026-12-24', '2026-12-26', 'Cuti bersama Natal');
  const maintenance = closure('2026-12-02', '2026-12-02', 'Pemeliharaan sistem');

  describe('createClosedDayLookup', () => {
    it('closes national holidays with their Indonesian name', () => {
      const isClosed = createClosedDayLookup({ country: 'ID', openAnyway: [] }, []);
      expect(isClosed('2026-08-17')).toEqual({
        date: '2026-08-17',
        reason: 'Hari Proklamasi Kemerdekaan Republik Indonesia',
        kind: 'holiday',
      });
      expect(isClosed('2026-08-18')).toBeNull();
    });

    it('closes single-day and range closures with their reason', () => {
      const isClosed = createClosedDayLookup({ country: null, openAnyway: [] }, [maintenance, cutiBersama]);
      expect(isClosed('2026-12-02')).toEqual({ date: '2026-12-02', reason: 'Pemeliharaan sistem', kind: 'closure' });
      expect(['2026-12-23', '2026-12-24', '2026-12-25', '2026-12-26', '2026-12-27'].map((d) => isClosed(d)?.reason ?? null)).toEqual([
        null,
        'Cuti bersama Natal',
        'Cuti bersama Natal',
        'Cuti bersama Natal',
        null,
      ]);
    });

    it('prefers the holiday name when a closure covers a holiday', () => {
      const isClosed = createClosedDayLookup({ country: 'ID', openAnyway: [] }, [cutiBersama]);
      expect(isClosed('2026-12-25')).toEqual({ date: '2026-12-25', reason: 'Hari Raya Natal', kind: 'holiday' });
      expect(isClosed('2026-12-24')?.kind).toBe('closure');
    });

    it('opens on openAnyway holidays, but never through a closure', () => {
      const isClosed = createClosedDayLookup({ country: 'ID', openAnyway: ['2026-12-25', '2026-08-17'] }, [cutiBersama]);
      expect(isClosed('2026-08-17')).toBeNull();
      expect(isClosed('2026-12-25')).toEqual({ date: '2026-12-25', reason: 'Cuti bersama Natal', kind: 'closure' });
    });

    it('uses regional holidays of the configured region', () => {
      const berlin = createClosedDayLookup({ country: 'DE', region: 'BE', openAnyway: [] }, []);
      const bavaria = createClosedDayLookup({ country: 'DE', region: 'BY', openAnyway: [] }, []);
      expect(berlin('2026-03-08')?.reason).toBe('Internationaler Frauentag');
      expect(bavaria('2026-03-08')).toBeNull();
      expect(bavaria('2026-01-06')?.reason).toBe('Heilige Drei Könige');
    });
  });

  it('isWeekend: Saturday and Sunday only', () => {
    expect(['2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30'].map(isWeekend)).toEqual([false, true, true, false]);
  });

  it('lastWorkingDayOf returns null when the whole month is closed', () => {
    const isClosed = createClosedDayLookup({ country: null, openAnyway: [] }, [closure('2026-02-01', '2026-02-28', 'Renovasi')]);
    expect(lastWorkingDayOf(2026, 2, isClosed)).toBeNull();
    expect(lastWorkingDayOf(2026, 3, isClosed)).toBe('2026-03-31');
  });

  it('clampedDayOf clamps to the month end', () => {
    expect(clampedDayOf(2026, 2, 31)).toBe('2026-02-28');
    expect(clampedDayOf(2028, 2, 31)).toBe('2028-02-29');
    expect(clampedDayOf(2026, 4, 31)).toBe('2026-04-30');
    expect(clampedDayOf(2026, 4, 15)).toBe('2026-04-15');
  });

  it('splitClosedDays sorts and separates service days from closed ones', () => {
    const isClosed = createClosedDayLookup({ country: 'ID', openAnyway: [] }, []);
    const quota = { regular: 50 };
    const result = splitClosedDays(
      [
        { date: '2026-12-28', quota },
        { date: '2026-12-25', quota },
        { date: '2026-12-24', quota },
      ],
      isClosed,
    );
    expect(result.days).toEqual([
      { date: '2026-12-24', quota },
      { date: '2026-12-28', quota },
    ]);
    expect(result.days[0]!.quota).not.toBe(quota);
    expect(result.removedDays).toEqual([{ date: '2026-12-25', reason: 'Hari Raya Natal', kind: 'holiday' }]);
  });

  it('listClosedDays clips closures and holidays to the window, across a year end', () => {
    const holidays = { country: 'ID', openAnyway: ['2026-12-25'] };
    const closures = [closure('2026-12-28', '2027-01-04', 'Libur akhir tahun'), closure('2027-02-01', '2027-02-01', 'Di luar')];
    const isClosed = createClosedDayLookup(holidays, closures);
    const days = listClosedDays({ from: '2026-12-20', to: '2027-01-02' }, holidays, closures, isClosed);
    expect(days.map((d) => [d.date, d.reason])).toEqual([
      ['2026-12-28', 'Libur akhir tahun'],
      ['2026-12-29', 'Libur akhir tahun'],
      ['2026-12-30', 'Libur akhir tahun'],
      ['2026-12-31', 'Libur akhir tahun'],
      ['2027-01-01', 'Tahun Baru 2027 Masehi'],
      ['2027-01-02', 'Libur akhir tahun'],
    ]);
    expect(listClosedDays({ from: '2027-01-02', to: '2027-01-01' }, holidays, closures, isClosed)).toEqual([]);
  });
});
