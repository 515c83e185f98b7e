import { countCodePoints, countHashtags, countMentions, countXWeighted, findUrls } from '../../src/channels/text-length';

describe('channels/text-length', () => {
  it('counts Latin text one per character on X', () => {
    expect(countXWeighted('Kuota paspor dibuka pukul 14.00 WIB')).toBe(35);
  });

  it('counts emoji and CJK double on X', () => {
    expect(countXWeighted('📢')).toBe(2);
    expect(countXWeighted('護照')).toBe(4);
  });

  it('counts every URL as 23 on X, bare domains included', () => {
    expect(countXWeighted('Info: https://www.imigrasi.go.id/layanan/paspor/sangat/panjang/sekali')).toBe('Info: '.length + 23);
    expect(findUrls('cek pontianak.imigrasi.go.id ya')).toEqual(['pontianak.imigrasi.go.id']);
    expect(findUrls('pukul 14.00 WIB, kuota 1.250')).toEqual([]);
  });

  it('normalises to NFC before counting', () => {
    const decomposed = 'Jume\u0301at';
    expect(countCodePoints(decomposed)).toBe(6);
    expect(countXWeighted(decomposed)).toBe(6);
  });

  it('counts hashtags and mentions', () => {
    expect(countHashtags('#Imigrasi #MPaspor bukan#tag')).toBe(2);
    expect(countMentions('@kanim_pontianak dan @ditjenimigrasi')).toBe(2);
  });
});
