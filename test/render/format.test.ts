import {
  formatDate,
  formatDateRange,
  formatDayRange,
  formatList,
  formatNumber,
  formatPeriod,
  formatQuotaList,
  formatRelativeDate,
  formatRelativeDay,
  formatShortDate,
  formatTime,
  formatWeekday,
} from '../../src/render/helpers/format';
import { zoneAbbreviation } from '../../src/render/helpers/zone-name';

const pontianak = { locale: 'id-ID', zone: 'Asia/Pontianak' };

describe('render/helpers/format', () => {
  it('writes Indonesian dates', () => {
    expect(formatDate('2026-11-27', pontianak)).toBe('Jumat, 27 November 2026');
    expect(formatShortDate('2026-11-27', pontianak)).toBe('Jum, 27 Nov');
    expect(formatShortDate('2026-08-17', pontianak, true)).toBe('17 Agu 2026');
    expect(formatWeekday('2026-11-29', pontianak)).toBe('Minggu');
    expect(formatWeekday('2026-11-29', pontianak, true)).toBe('Min');
  });

  it('takes the date of an instant in the office zone, not the host zone', () => {
    // 17.30 UTC on the 27th is 00.30 on the 28th in Pontianak (UTC+7).
    expect(formatDate('2026-11-27T17:30:00Z', pontianak)).toBe('Sabtu, 28 November 2026');
    expect(formatDate('2026-11-27T16:30:00Z', pontianak)).toBe('Jumat, 27 November 2026');
  });

  it('writes times with a dot and the Indonesian zone name', () => {
    const instant = '2026-11-27T07:00:00Z';
    expect(formatTime(instant, pontianak)).toBe('14.00 WIB');
    expect(formatTime(instant, { locale: 'id-ID', zone: 'Asia/Jakarta' })).toBe('14.00 WIB');
    expect(formatTime(instant, { locale: 'id-ID', zone: 'Asia/Makassar' })).toBe('15.00 WITA');
    expect(formatTime(instant, { locale: 'id-ID', zone: 'Asia/Jayapura' })).toBe('16.00 WIT');
    expect(formatTime(instant, pontianak, false)).toBe('14.00');
  });

  it('uses the IANA abbreviation elsewhere, following daylight saving', () => {
    expect(formatTime('2026-01-15T13:00:00Z', { locale: 'id-ID', zone: 'Europe/Berlin' })).toBe('14.00 CET');
    expect(formatTime('2026-07-15T12:00:00Z', { locale: 'id-ID', zone: 'Europe/Berlin' })).toBe('14.00 CEST');
    expect(formatTime('2026-07-15T12:00:00Z', { locale: 'de-DE', zone: 'Europe/Berlin' })).toBe('14:00 MESZ');
    expect(zoneAbbreviation('America/New_York', new Date('2026-01-15T12:00:00Z'), 'id-ID')).toBe('EST');
    // São Paulo's abbreviation is known in Portuguese only; elsewhere the offset stands in.
    expect(zoneAbbreviation('America/Sao_Paulo', new Date('2026-01-15T12:00:00Z'), 'pt-BR')).toBe('BRT');
    expect(zoneAbbreviation('America/Sao_Paulo', new Date('2026-01-15T12:00:00Z'), 'id-ID')).toBe('GMT-3');
  });

  it('switches CET/CEST on the night of the change', () => {
    // 29 March 2026, 01.00 UTC: clocks in Berlin jump from 02.00 CET to 03.00 CEST.
    const env = { locale: 'en-GB', zone: 'Europe/Berlin' };
    expect(formatTime('2026-03-29T00:59:00Z', env)).toBe('01:59 CET');
    expect(formatTime('2026-03-29T01:00:00Z', env)).toBe('03:00 CEST');
  });

  it('formats numbers per locale', () => {
    expect(formatNumber(1250, pontianak)).toBe('1.250');
    // Whole numbers are grouped by hand in Indonesian: the same as Intl, without its cost.
    for (const n of [0, 7, 999, 1000, 99_999, 1_234_567, -1250]) expect(formatNumber(n, pontianak)).toBe(new Intl.NumberFormat('id-ID').format(n));
    expect(formatNumber(12.5, pontianak)).toBe('12,5');
    expect(formatNumber(1250, { locale: 'en-US', zone: 'UTC' })).toBe('1,250');
    expect(() => formatNumber(Number.NaN, pontianak)).toThrow(/expected a number/);
  });

  it('says hari ini, besok, lusa relative to the due time in the office zone', () => {
    const opens = '2026-11-27T07:00:00Z'; // Friday 14.00 WIB
    expect(formatRelativeDay(opens, '2026-11-27T06:00:00Z', pontianak)).toBe('hari ini');
    expect(formatRelativeDay(opens, '2026-11-26T12:00:00Z', pontianak)).toBe('besok');
    expect(formatRelativeDay(opens, '2026-11-25T12:00:00Z', pontianak)).toBe('lusa');
    expect(formatRelativeDay(opens, '2026-11-24T12:00:00Z', pontianak)).toBe('Jumat, 27 November 2026');
  });

  it('decides relative days around midnight in the office zone, not UTC', () => {
    const opens = '2026-11-27T07:00:00Z';
    // 16.59 UTC on the 26th is 23.59 WIB on the 26th: tomorrow.
    expect(formatRelativeDay(opens, '2026-11-26T16:59:00Z', pontianak)).toBe('besok');
    // 17.00 UTC on the 26th is already 00.00 WIB on the 27th: today, although UTC still says the 26th.
    expect(formatRelativeDay(opens, '2026-11-26T17:00:00Z', pontianak)).toBe('hari ini');
    expect(formatRelativeDay(opens, '2026-11-26T12:00:00Z', { locale: 'en-GB', zone: 'Asia/Pontianak' })).toBe('tomorrow');
  });

  it('writes day ranges for rows of consecutive days', () => {
    expect(formatDayRange('2027-01-04', '2027-01-08', pontianak)).toBe('Sen–Jum, 4–8 Jan');
    expect(formatDayRange('2027-01-18', '2027-01-18', pontianak)).toBe('Sen, 18 Jan');
    expect(formatDayRange('2026-12-28', '2027-01-01', pontianak)).toBe('Sen, 28 Des – Jum, 1 Jan');
    expect(formatDayRange('2027-01-04', '2027-01-08', pontianak, true)).toBe('Senin–Jumat, 4–8 Januari 2027');
    expect(formatDayRange('2027-01-18', '2027-01-18', pontianak, true)).toBe('Senin, 18 Januari 2027');
    expect(formatDayRange('2026-12-28', '2027-01-01', pontianak, true)).toBe('Senin, 28 Desember 2026 – Jumat, 1 Januari 2027');
  });

  it('writes a one-day date range as one date', () => {
    expect(formatDateRange('2027-01-18', '2027-01-18', pontianak)).toBe('18 Jan 2027');
  });

  it('joins lists the Indonesian way', () => {
    expect(formatList(['Senin', 'Selasa', 'Rabu'], pontianak)).toBe('Senin, Selasa dan Rabu');
    expect(formatList(['Reguler', 'Percepatan', 'Prioritas', 'Lansia'], pontianak)).toBe('Reguler, Percepatan, Prioritas dan Lansia');
    expect(formatList(['Senin', 'Selasa'], pontianak)).toBe('Senin dan Selasa');
    expect(formatList(['Senin'], pontianak)).toBe('Senin');
    expect(formatList(['Mon', 'Tue', 'Wed'], { locale: 'en-US', zone: 'UTC' })).toBe('Mon, Tue, and Wed');
  });

  it('writes date ranges compactly', () => {
    expect(formatDateRange('2026-12-21', '2026-12-27', pontianak)).toBe('21–27 Des 2026');
    expect(formatDateRange('2026-11-30', '2026-12-06', pontianak)).toBe('30 Nov – 6 Des 2026');
    expect(formatDateRange('2026-12-28', '2027-01-03', pontianak)).toBe('28 Des 2026 – 3 Jan 2027');
  });

  it('falls back to Intl for other locales', () => {
    expect(formatDate('2026-11-27', { locale: 'en-GB', zone: 'Europe/Berlin' })).toMatch(/^Friday,? 27 November 2026$/);
    expect(formatDate('2026-11-27', { locale: 'de-DE', zone: 'Europe/Berlin' })).toBe('Freitag, 27. November 2026');
  });

  it('rejects something that is not a date', () => {
    expect(() => formatDate('morgen', pontianak)).toThrow(/expected a date/);
  });

  describe('words true at the moment the post goes out', () => {
    it('says "besok" with the date for an opening at 00.00 announced at 23.00 the day before', () => {
      // 23.00 WIB on Sunday 17 Jan = 16.00 UTC; the opening is 00.00 WIB on Monday 18 Jan = 17.00 UTC.
      expect(formatRelativeDate('2027-01-17T17:00:00Z', '2027-01-17T16:00:00Z', pontianak)).toBe('besok, Senin, 18 Januari 2027');
      expect(formatRelativeDate('2027-01-17T17:00:00Z', '2027-01-17T16:00:00Z', pontianak, true)).toBe('besok, Sen, 18 Jan');
      expect(formatRelativeDate('2027-01-17T17:00:00Z', '2027-01-17T17:00:00Z', pontianak)).toBe('hari ini, Senin, 18 Januari 2027');
      expect(formatRelativeDate('2027-01-17T17:00:00Z', '2027-01-15T17:00:00Z', pontianak)).toBe('lusa, Senin, 18 Januari 2027');
      expect(formatRelativeDate('2027-01-17T17:00:00Z', '2027-01-14T17:00:00Z', pontianak)).toBe('Senin, 18 Januari 2027');
    });

    it('is the same whatever the host zone (the test suite also runs under America/Sao_Paulo)', () => {
      const jayapura = { locale: 'id-ID', zone: 'Asia/Jayapura' };
      // 22.30 WIT on the 17th (13.30 UTC) about 00.30 WIT on the 18th (15.30 UTC).
      expect(formatRelativeDate('2027-01-17T15:30:00Z', '2027-01-17T13:30:00Z', jayapura)).toBe('besok, Senin, 18 Januari 2027');
    });

    it('names a digest period from digest.when, with its dates', () => {
      expect(formatPeriod('next-week', '2027-01-04', '2027-01-10', pontianak)).toBe('pekan depan, 4–10 Jan 2027');
      expect(formatPeriod('this-week', '2027-01-04', '2027-01-10', pontianak)).toBe('pekan ini, 4–10 Jan 2027');
      expect(formatPeriod('period', '2027-01-04', '2027-01-17', pontianak)).toBe('4–17 Jan 2027');
    });

    it('lists counts as "A, B dan C"', () => {
      const q = (name: string, count: number) => ({ serviceName: `Paspor ${name}`, shortName: name, count });
      const quotas = [q('Reguler', 200), q('Percepatan', 35), q('Prioritas', 1250)];
      expect(formatQuotaList(quotas, pontianak)).toBe('Paspor Reguler 200, Paspor Percepatan 35 dan Paspor Prioritas 1.250');
      expect(formatQuotaList(quotas, pontianak, { short: true, countFirst: true })).toBe('200 Reguler, 35 Percepatan dan 1.250 Prioritas');
      expect(formatQuotaList(quotas.slice(0, 1), pontianak)).toBe('Paspor Reguler 200');
    });
  });
});
