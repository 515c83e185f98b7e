/** web/public/archive-query: dates are the office's days; a broken query is a problem in words, never a query. */
import { nextPageQuery, parseArchiveQuery } from '../../../src/web/public/archive-query';

describe('web/public/archive-query', () => {
  it('one date is that whole day in the office zone (WIT: 11 Dec starts 15.00 UTC on the 10th)', () => {
    expect(parseArchiveQuery({ tanggal: '2026-12-11' }, 'Asia/Jayapura')).toEqual({
      dari: '2026-12-11',
      sampai: '2026-12-11',
      from: new Date('2026-12-10T15:00:00Z'),
      to: new Date('2026-12-11T15:00:00Z'),
      problem: null,
    });
    expect(parseArchiveQuery({ dari: '2026-12-01' }, 'Asia/Pontianak')).toEqual({ dari: '2026-12-01', sampai: '', from: new Date('2026-11-30T17:00:00Z'), problem: null });
    expect(parseArchiveQuery({ sampai: '2026-12-01', sebelum: '2026-11-20T07:00:02.000Z' }, 'Asia/Pontianak')).toEqual({
      dari: '',
      sampai: '2026-12-01',
      to: new Date('2026-12-01T17:00:00Z'),
      before: new Date('2026-11-20T07:00:02.000Z'),
      problem: null,
    });
    expect(parseArchiveQuery({}, 'Asia/Pontianak')).toEqual({ dari: '', sampai: '', problem: null });
  });

  it('says what is wrong with a date, a reversed range, or a broken page link', () => {
    expect(parseArchiveQuery({ dari: '11-12-2026' }, 'Asia/Pontianak').problem).toBe('Tanggal awal "11-12-2026" tidak dikenali: tulis seperti 2026-12-11 (tahun-bulan-tanggal).');
    expect(parseArchiveQuery({ dari: '2026-02-30' }, 'Asia/Pontianak').problem).toContain('Tanggal awal "2026-02-30" tidak dikenali');
    expect(parseArchiveQuery({ dari: '2026-12-11', sampai: '2026-12-01' }, 'Asia/Pontianak').problem).toBe('Tanggal awal jatuh setelah tanggal akhir.');
    expect(parseArchiveQuery({ sebelum: 'kemarin' }, 'Asia/Pontianak').problem).toContain('Tautan halaman berikutnya rusak');
    expect(parseArchiveQuery({ dari: ['2026-12-01', 'x'] }, 'Asia/Pontianak').from).toEqual(new Date('2026-11-30T17:00:00Z'));
  });

  it('the next page keeps the dates', () => {
    const query = parseArchiveQuery({ dari: '2026-12-01', sampai: '2026-12-31' }, 'Asia/Pontianak');
    expect(nextPageQuery(query, new Date('2026-12-11T07:00:02Z'))).toBe('?dari=2026-12-01&sampai=2026-12-31&sebelum=2026-12-11T07%3A00%3A02.000Z');
  });
});
