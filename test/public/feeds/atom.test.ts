/** The Atom generator, read back by an independent parser and checked against RFC 4287. */
import { atomEntryId, renderAtom, type AtomFeedInput } from '../../../src/public/feeds/atom';
import { publicUrls } from '../../../src/public/feeds/urls';
import type { PublicAnnouncement } from '../../../src/public/types';
import { parseAtom, textOf } from './atom-parse';
import { buildAnnouncement, OFFICE } from './public-fixtures';

const URLS = publicUrls('https://kuota.example.go.id/');

function render(announcements: PublicAnnouncement[], extra: Partial<AtomFeedInput> = {}): string {
  return renderAtom({
    office: OFFICE,
    announcements,
    urls: URLS,
    idAuthority: 'kuota.example.go.id',
    publishedByCode: new Map(announcements.map((a) => [a.code, a.publishedAt])),
    openingTimes: new Map(announcements.filter((a) => a.releaseId === 'mingguan@2026-12-11').map((a) => [a.code, new Date('2026-12-11T07:00:00Z')])),
    emptyUpdated: new Date('2026-11-01T00:00:00Z'),
    ...extra,
  });
}

describe('public/feeds/atom', () => {
  it('describes the office: permanent id, title, author, self and archive links', () => {
    const feed = parseAtom(render([buildAnnouncement()]));
    expect(feed.id).toBe('tag:kuota.example.go.id,2026:kanim-pontianak');
    expect(textOf(feed.title)).toBe('Pengumuman kuota antrean — Kantor Imigrasi Kelas I TPI Pontianak');
    expect(textOf(feed.subtitle)).toContain('Pengumuman yang tidak ada di sini bukan dari kantor ini');
    expect(feed.author).toEqual({ name: 'Kantor Imigrasi Kelas I TPI Pontianak', uri: 'https://pontianak.imigrasi.go.id' });
    expect(feed.link).toEqual([
      { '@rel': 'self', '@type': 'application/atom+xml', '@href': 'https://kuota.example.go.id/o/kanim-pontianak/feed.atom' },
      { '@rel': 'alternate', '@type': 'text/html', '@href': 'https://kuota.example.go.id/o/kanim-pontianak/archive' },
    ]);
  });

  it('gives each announcement an entry with the exact text of its first channel, its card and its live posts', () => {
    const announcement = buildAnnouncement();
    const [entry] = parseAtom(render([announcement])).entry;
    expect(entry!.id).toBe('tag:kuota.example.go.id,2026:kanim-pontianak/K7M2Q9XD');
    expect(entry!.id).toBe(atomEntryId('kuota.example.go.id', 'kanim-pontianak', 'K7M2Q9XD'));
    expect(textOf(entry!.title)).toBe('Pengumuman: pembukaan kuota Jumat, 11 Desember 2026 pukul 14.00 WIB');
    expect(entry!.published).toBe('2026-12-10T12:00:00.000Z');
    expect(entry!.updated).toBe('2026-12-10T12:00:00.000Z');
    expect(entry!.content).toEqual({ '@type': 'text', '#text': announcement.channels[0]!.text });
    expect(entry!.link).toEqual([
      { '@rel': 'alternate', '@type': 'text/html', '@href': 'https://kuota.example.go.id/o/kanim-pontianak/archive/K7M2Q9XD' },
      { '@rel': 'enclosure', '@type': 'image/jpeg', '@href': 'https://kuota.example.go.id/o/kanim-pontianak/archive/K7M2Q9XD/card-1.jpg', '@title': 'Kartu: kuota "Reguler" 120 & Percepatan 20' },
      { '@rel': 'related', '@type': 'text/html', '@href': 'https://www.instagram.com/p/abc/', '@title': 'instagram' },
      { '@rel': 'related', '@type': 'text/html', '@href': 'https://x.com/imigrasi/status/1', '@title': 'x' },
    ]);
    expect(entry!.category).toEqual({ '@term': 'announcement', '@label': 'Pengumuman' });
    expect(entry!.summary).toBeUndefined();
  });

  it('raises an entry\'s updated when a correction of it is published, and says so', () => {
    const original = buildAnnouncement({ correctedBy: ['C0RR3CT1'] });
    const correction = buildAnnouncement({
      code: 'C0RR3CT1',
      codeLabel: 'C0RR-3CT1',
      kind: 'correction',
      ruleId: 'correction',
      publishedAt: new Date('2026-12-10T15:30:00Z'),
      changes: [{ label: 'Kuota Paspor Reguler, 14 Des 2026', before: '120', after: '100' }],
    });
    const [newest, older] = parseAtom(render([correction, original])).entry;
    expect(older!.updated).toBe('2026-12-10T15:30:00.000Z');
    expect(older!.published).toBe('2026-12-10T12:00:00.000Z');
    expect(textOf(older!.summary)).toBe('Pengumuman ini telah dikoreksi (kode C0RR-3CT1). Kode cek: K7M2-Q9XD.');
    expect(textOf(newest!.title)).toBe('Koreksi: pembukaan kuota Jumat, 11 Desember 2026 pukul 14.00 WIB');
    expect(textOf(newest!.summary)).toBe('Perubahan: Kuota Paspor Reguler, 14 Des 2026: 120 → 100. Kode cek: C0RR-3CT1.');
    // The correction published outside the list (another page) still counts.
    const alone = parseAtom(render([original], { publishedByCode: new Map([['C0RR3CT1', new Date('2026-12-11T01:00:00Z')]]) }));
    expect(alone.entry[0]!.updated).toBe('2026-12-11T01:00:00.000Z');
    expect(alone.updated).toBe('2026-12-11T01:00:00.000Z');
  });

  it('escapes everything and keeps the text exact: markup, quotes, CRLF, emoji; drops what XML cannot hold', () => {
    const hostile = 'Kuota <script>alert("x")</script> & \'kutip\' ]]> \r\nbaris\tdua 🇮🇩\u0000\u0007\ud800';
    const announcement = buildAnnouncement({
      channels: [{ channelId: 'ig', platform: 'instagram', publishedAt: new Date('2026-12-10T12:00:00Z'), remoteUrl: 'https://www.instagram.com/p/a?b=1&c="2"', text: hostile }],
      cards: [{ index: 1, width: 1, height: 1, alt: 'alt <b> & "q"\nline', sha256: 'b'.repeat(64) }],
    });
    const xml = render([announcement]);
    expect(xml).not.toContain('<script>');
    const [entry] = parseAtom(xml).entry;
    expect(textOf(entry!.content)).toBe('Kuota <script>alert("x")</script> & \'kutip\' ]]> \r\nbaris\tdua 🇮🇩');
    expect(entry!.link.find((link) => link['@rel'] === 'enclosure')!['@title']).toBe('alt <b> & "q"\nline');
    expect(entry!.link.find((link) => link['@rel'] === 'related')!['@href']).toBe('https://www.instagram.com/p/a?b=1&c="2"');
  });

  it('titles digests by their dates, and words what it cannot look up as stored', () => {
    const digest = buildAnnouncement({ kind: 'digest', ruleId: 'weekly', subject: 'digest:2026-12-14..2026-12-20', releaseId: null });
    const unknown = buildAnnouncement({ code: 'ZZZZ0000', subject: 'lama@2025-01-03', releaseId: 'lama@2025-01-03', kind: 'cancellation' });
    const [first, second] = parseAtom(render([digest, unknown])).entry;
    expect(textOf(first!.title)).toBe('Jadwal kuota 14–20 Des 2026');
    expect(textOf(second!.title)).toBe('Pembatalan: pembukaan kuota lama@2025-01-03');
  });

  it('an office with no announcements gives a valid feed without entries', () => {
    const feed = parseAtom(render([]));
    expect(feed.entry).toEqual([]);
    expect(feed.updated).toBe('2026-11-01T00:00:00.000Z');
  });
});
