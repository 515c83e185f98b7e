import { holidaysOfYear, listPublicHolidays, validateHolidaySettings } from '../../src/calendar/holidays';
import { weekdayOf } from '../../src/time/plain-date';

describe('calendar/holidays', () => {
  describe('listPublicHolidays for Indonesia', () => {
    const y2026 = listPublicHolidays('ID', undefined, 2026);

    it('lists the national holidays of 2026 with their Indonesian names', () => {
      const byDate = new Map(y2026.map((h) => [h.date, h.name]));
      expect(byDate.get('2026-01-01')).toBe('Hari tahun baru');
      expect(byDate.get('2026-02-17')).toBe('Tahun Baru Imlek');
      expect(byDate.get('2026-08-17')).toBe('Hari Ulang Tahun Kemerdekaan Republik Indonesia');
      expect(byDate.get('2026-12-25')).toBe('Hari Raya Natal');
      expect(weekdayOf('2026-12-25')).toBe(5);
      expect(y2026).toHaveLength(16);
    });

    it('keeps Islamic feasts on their local date although they start at the previous sunset', () => {
      const idulFitri = y2026.filter((h) => h.name === 'Hari Raya Idul Fitri').map((h) => h.date);
      expect(idulFitri).toEqual(['2026-03-20', '2026-03-21']);
    });

    it("names 27 Rajab Isra Mi'raj, not Maulid as date-holidays' Indonesian data does", () => {
      expect(y2026.find((h) => h.date === '2026-01-16')?.name).toBe("Isra Mi'raj Nabi Muhammad SAW");
      expect(y2026.find((h) => h.date === '2026-08-25')?.name).toBe('Maulid Nabi Muhammad');
    });

    it('joins two holidays on one date (25 December 2027) into one entry', () => {
      const christmas2027 = listPublicHolidays('ID', undefined, 2027).filter((h) => h.date === '2027-12-25');
      expect(christmas2027).toEqual([{ date: '2027-12-25', name: "Isra Mi'raj Nabi Muhammad SAW / Hari Raya Natal" }]);
    });

    it('returns sorted dates', () => {
      const dates = y2026.map((h) => h.date);
      expect(dates).toEqual([...dates].sort());
    });
  });

  describe('holidaysOfYear', () => {
    it('caches per country, region and year', () => {
      expect(holidaysOfYear('ID', undefined, 2027)).toBe(holidaysOfYear('ID', undefined, 2027));
      expect(holidaysOfYear('DE', 'BE', 2026)).not.toBe(holidaysOfYear('DE', undefined, 2026));
    });

    it('keeps only public holidays: no observances or bank half-days (Berlin)', () => {
      const berlin = holidaysOfYear('DE', 'BE', 2026);
      expect(berlin.get('2026-12-25')).toBe('1. Weihnachtstag');
      expect(berlin.get('2026-03-08')).toBe('Internationaler Frauentag');
      expect(berlin.has('2026-02-14')).toBe(false); // Valentinstag, observance
      expect(berlin.has('2026-12-24')).toBe(false); // Heiliger Abend, bank holiday from 14:00
      expect(holidaysOfYear('DE', undefined, 2026).has('2026-03-08')).toBe(false); // Berlin only
    });

    it('yields nothing for a country date-holidays does not know', () => {
      expect(holidaysOfYear('XX', undefined, 2026).size).toBe(0);
    });
  });

  describe('validateHolidaySettings', () => {
    it('accepts known countries and regions, and null', () => {
      expect(validateHolidaySettings('ID', undefined)).toEqual([]);
      expect(validateHolidaySettings('DE', 'BE')).toEqual([]);
      expect(validateHolidaySettings(null, undefined)).toEqual([]);
    });

    it('says how to fix an unknown country', () => {
      const [message] = validateHolidaySettings('XX', undefined);
      expect(message).toMatch(/"XX" is not a country/);
      expect(message).toMatch(/"ID"/);
    });

    it('lists the valid regions for an unknown region', () => {
      expect(validateHolidaySettings('DE', 'ZZ')[0]).toMatch(/"ZZ" is not a region of DE: use one of .*BE/);
      expect(validateHolidaySettings('ID', 'KB')[0]).toMatch(/no regional holidays/);
    });
  });
});
