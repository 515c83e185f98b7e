/** web/public/search-text: the index search ignores case, accents and punctuation; every word must match. */
import { foldForSearch, matchesSearch } from '../../../src/web/public/search-text';

describe('web/public/search-text', () => {
  it('folds case, accents and punctuation', () => {
    expect(foldForSearch('  Kantor Imigrasi Kelas I TPI — PONTIANAK ')).toBe('kantor imigrasi kelas i tpi pontianak');
    expect(foldForSearch('Bulukumba, Sulawesi Selatan')).toBe('bulukumba sulawesi selatan');
    expect(foldForSearch('Tanjung Pinang ÉÀÜ')).toBe('tanjung pinang eau');
  });

  it('matches every word against name or city, in any order; an empty query matches all', () => {
    const fields = ['Kantor Imigrasi Kelas I TPI Pontianak', 'Pontianak'];
    expect(matchesSearch('PONTIANAK', fields)).toBe(true);
    expect(matchesSearch('pontianak imigrasi', fields)).toBe(true);
    expect(matchesSearch('pontiának', fields)).toBe(true);
    expect(matchesSearch('pontianak medan', fields)).toBe(false);
    expect(matchesSearch('', fields)).toBe(true);
    expect(matchesSearch('   ', fields)).toBe(true);
    expect(matchesSearch('jayapura', fields)).toBe(false);
    expect(matchesSearch('Bitung', ['Kantor Imigrasi Bitung', ''])).toBe(true);
  });
});
