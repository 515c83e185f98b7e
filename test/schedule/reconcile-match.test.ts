import type { RemotePost } from '../../src/channels/channel';
import { matchRemotePosts, normaliseText, textMatcher } from '../../src/schedule/reconcile-match';

const at = (iso: string): Date => new Date(iso);

function remote(remoteId: string, text: string, publishedAt: string): RemotePost {
  return { remoteId, text, publishedAt: at(publishedAt), url: null };
}

describe('schedule/reconcile-match', () => {
  describe('normaliseText', () => {
    it('applies NFC, trims, and collapses every whitespace run to one space', () => {
      // "é" as e + combining acute (NFD) becomes the single code point.
      expect(normaliseText('  Kuota  dibuka\n\npukul 14.00\tWIB, cafe\u0301 ')).toBe('Kuota dibuka pukul 14.00 WIB, caf\u00e9');
    });
  });

  describe('textMatcher', () => {
    const sent = 'Kuota paspor dibuka 14.00 WIB.\nDaftar di https://m-paspor.imigrasi.go.id/daftar & cek imigrasi.go.id';

    it('matches the same text re-spaced, NFD-encoded, or with X escaping & < >', () => {
      const matches = textMatcher(sent);
      expect(matches(sent)).toBe(true);
      expect(matches(`  ${sent.replace('\n', '\n\n')}  `)).toBe(true);
      expect(matches(sent.replace('&', '&amp;'))).toBe(true);
      expect(textMatcher('a < b')('a &lt; b')).toBe(true);
    });

    it('tolerates links that X shortened to t.co, and trailing t.co links of attached media', () => {
      const shortened = 'Kuota paspor dibuka 14.00 WIB. Daftar di https://t.co/AbC123xyz &amp; cek https://t.co/Q9 https://t.co/media1 https://t.co/media2';
      expect(textMatcher(sent)(shortened)).toBe(true);
    });

    it('does not match a different text: other counts, times, a missing word, or extra words', () => {
      const matches = textMatcher('Kuota 120 slot dibuka 14.00 WIB');
      expect(matches('Kuota 100 slot dibuka 14.00 WIB')).toBe(false);
      expect(matches('Kuota 120 slot dibuka 15.00 WIB')).toBe(false);
      expect(matches('Kuota 120 slot dibuka WIB')).toBe(false);
      expect(matches('Kuota 120 slot dibuka 14.00 WIB besok')).toBe(false);
      // A link slot does not swallow arbitrary text.
      expect(textMatcher('cek imigrasi.go.id sekarang')('cek apa saja sekarang')).toBe(false);
    });
  });

  describe('matchRemotePosts', () => {
    const notBefore = at('2026-11-27T06:00:00Z');

    it('pairs by text and refuses remote posts older than the first attempt (minus skew)', () => {
      const matches = matchRemotePosts(
        [{ key: 'a', text: 'Kuota dibuka', notBefore }],
        [remote('old', 'Kuota dibuka', '2026-11-27T05:59:59Z'), remote('other', 'Lain', '2026-11-27T06:00:05Z')],
        new Set(),
      );
      expect(matches.size).toBe(0);
      const found = matchRemotePosts([{ key: 'a', text: 'Kuota dibuka', notBefore }], [remote('new', 'Kuota dibuka', '2026-11-27T06:00:00Z')], new Set());
      expect(found.get('a')?.remoteId).toBe('new');
    });

    it('gives each remote post to at most one ledger post, earliest attempt first', () => {
      const candidates = [
        { key: 'later', text: 'Sama', notBefore: at('2026-11-27T06:05:00Z') },
        { key: 'earlier', text: 'Sama', notBefore },
      ];
      // Newest first, as the platforms answer.
      const one = matchRemotePosts(candidates, [remote('r2', 'Sama', '2026-11-27T06:05:01Z')], new Set());
      expect([...one].map(([key, r]) => [key, r.remoteId])).toEqual([['earlier', 'r2']]);
      const two = matchRemotePosts(candidates, [remote('r2', 'Sama', '2026-11-27T06:05:01Z'), remote('r1', 'Sama', '2026-11-27T06:00:01Z')], new Set());
      expect(Object.fromEntries([...two].map(([key, r]) => [key, r.remoteId]))).toEqual({ earlier: 'r1', later: 'r2' });
    });

    it('skips remote posts the ledger already holds for another post', () => {
      const matches = matchRemotePosts([{ key: 'a', text: 'Sama', notBefore }], [remote('r1', 'Sama', '2026-11-27T06:00:01Z')], new Set(['r1']));
      expect(matches.size).toBe(0);
    });
  });
});
