import Holidays from 'date-holidays';
import { officialIndonesianName } from '../../src/calendar/holiday-names-id';
import { holidaysOfYear, listPublicHolidays, validateHolidaySettings } from '../../src/calendar/holidays';
import { weekdayOf } from '../../src/time/plain-date';

describe('calendar/holidays', () => {
  describe('listPublicHolidays for Indonesia', () => {
    const y2026 = listPublicHolidays('ID', undefined, 2026);

    it('names every national holiday of 2026 and 2027 as the joint decree (SKB) does, never with the library\'s raw names', () => {
      const named = (year: number): string[] => listPublicHolidays('ID', undefined, year).map((h) => `${h.date} ${h.name}`);
      expect(named(2026)).toEqual([
        '2026-01-01 Tahun Baru 2026 Masehi',
        '2026-01-16 Isra Mikraj Nabi Muhammad SAW',
        '2026-02-17 Tahun Baru Imlek 2577 Kongzili',
        '2026-03-19 Hari Suci Nyepi Tahun Baru Saka 1948',
        '2026-03-20 Hari Raya Idulfitri 1447 Hijriah',
        '2026-03-21 Hari Raya Idulfitri 1447 Hijriah',
        '2026-04-03 Wafat Yesus Kristus',
        '2026-05-01 Hari Buruh Internasional',
        '2026-05-14 Kenaikan Yesus Kristus',
        '2026-05-27 Hari Raya Iduladha 1447 Hijriah',
        '2026-05-31 Hari Raya Waisak 2570 BE',
        '2026-06-01 Hari Lahir Pancasila',
        '2026-06-16 Tahun Baru Islam 1448 Hijriah',
        '2026-08-17 Hari Proklamasi Kemerdekaan Republik Indonesia',
        '2026-08-25 Maulid Nabi Muhammad SAW',
        '2026-12-25 Hari Raya Natal',
      ]);
      expect(named(2027)).toEqual([
        '2027-01-01 Tahun Baru 2027 Masehi',
        '2027-01-05 Isra Mikraj Nabi Muhammad SAW',
        '2027-02-06 Tahun Baru Imlek 2578 Kongzili',
        '2027-03-08 Hari Suci Nyepi Tahun Baru Saka 1949',
        '2027-03-09 Hari Raya Idulfitri 1448 Hijriah',
        '2027-03-10 Hari Raya Idulfitri 1448 Hijriah',
        '2027-03-26 Wafat Yesus Kristus',
        '2027-05-01 Hari Buruh Internasional',
        '2027-05-06 Kenaikan Yesus Kristus',
        '2027-05-16 Hari Raya Iduladha 1448 Hijriah',
        '2027-05-20 Hari Raya Waisak 2571 BE',
        '2027-06-01 Hari Lahir Pancasila',
        '2027-06-06 Tahun Baru Islam 1449 Hijriah',
        '2027-08-14 Maulid Nabi Muhammad SAW',
        '2027-08-17 Hari Proklamasi Kemerdekaan Republik Indonesia',
        // Two holidays on one date share one entry.
        '2027-12-25 Isra Mikraj Nabi Muhammad SAW / Hari Raya Natal',
      ]);
      expect(weekdayOf('2026-12-25')).toBe(5);
    });

    it('has an official name for every Indonesian holiday date-holidays lists, 2026–2030', () => {
      const library = new Holidays('ID');
      for (let year = 2026; year <= 2030; year++) {
        for (const h of library.getHolidays(year)) {
          expect([h.date.slice(0, 10), officialIndonesianName({ rule: h.rule, name: h.name, date: h.date.slice(0, 10) })]).toEqual([
            h.date.slice(0, 10),
            expect.stringMatching(/^[A-Z]/),
          ]);
        }
      }
    });

    it('keeps Islamic feasts on their local date although they start at the previous sunset', () => {
      const idulFitri = y2026.filter((h) => h.name.startsWith('Hari Raya Idulfitri')).map((h) => h.date);
      expect(idulFitri).toEqual(['2026-03-20', '2026-03-21']);
    });

    it("names 27 Rajab Isra Mikraj, not Maulid as date-holidays' Indonesian data does", () => {
      expect(y2026.find((h) => h.date === '2026-01-16')?.name).toBe('Isra Mikraj Nabi Muhammad SAW');
      expect(y2026.find((h) => h.date === '2026-08-25')?.name).toBe('Maulid Nabi Muhammad SAW');
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
