/**
 * End to end: `simulate` over December 2026 of the sample office, as a child
 * process, checked post by post against a list written by hand from
 * config/calendar.yaml and config/herald.yaml.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { readOutbox, type OutboxRecord } from '../../src/channels/outbox/outbox-channel';
import { toLocal } from '../../src/time/zone';
import { REPO_ROOT, runCli } from '../support/cli';

const ZONE = 'Asia/Pontianak';

/** [local due time (WIB), rule, release or null for digests] — each on both channels. */
const EXPECTED: [string, string, string | null][] = [
  ['2026-12-03 19:00', 'h-1', 'mingguan@2026-12-04'],
  ['2026-12-04 13:00', 'h-60m', 'mingguan@2026-12-04'],
  ['2026-12-04 14:00', 'opening', 'mingguan@2026-12-04'],
  ['2026-12-06 18:00', 'weekly', null],
  ['2026-12-10 19:00', 'h-1', 'simpatik-desember'],
  ['2026-12-10 19:00', 'h-1', 'mingguan@2026-12-11'],
  ['2026-12-11 08:00', 'h-60m', 'simpatik-desember'],
  ['2026-12-11 09:00', 'opening', 'simpatik-desember'],
  ['2026-12-11 13:00', 'h-60m', 'mingguan@2026-12-11'],
  ['2026-12-11 14:00', 'opening', 'mingguan@2026-12-11'],
  ['2026-12-13 18:00', 'weekly', null],
  ['2026-12-17 19:00', 'h-1', 'mingguan@2026-12-18'],
  ['2026-12-18 13:00', 'h-60m', 'mingguan@2026-12-18'],
  ['2026-12-18 14:00', 'opening', 'mingguan@2026-12-18'],
  ['2026-12-20 18:00', 'weekly', null],
  // No announcements for 2026-12-25: that opening is cancelled (Christmas).
  ['2026-12-27 18:00', 'weekly', null],
  // Friday 2027-01-01 (New Year) is cancelled too; its replacement opens 2 January, announced after this range.
];

describe('e2e: simulate a month of the sample office', () => {
  let outDir: string;
  let records: OutboxRecord[];
  let stdout: string;

  beforeAll(async () => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-e2e-sim-'));
    const run = await runCli(['simulate', '--config', path.join(REPO_ROOT, 'config'), '--from', '2026-12-01', '--to', '2027-01-01', '--out', outDir]);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(run.code).toBe(0);
    stdout = run.stdout;
    records = readOutbox(path.join(outDir, 'outbox.jsonl'));
  }, 120_000);

  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it('sends exactly the expected posts, on both channels, in due order', () => {
    const local = (iso: string): string => {
      const l = toLocal(new Date(iso), ZONE);
      return `${l.date} ${l.time}`;
    };
    const actual = records.map((r) => `${local(r.scheduledAt)} ${r.rule} ${r.releaseId ?? '-'} ${r.channel}`).sort();
    const expected = EXPECTED.flatMap(([due, rule, release]) => ['instagram', 'x'].map((channel) => `${due} ${rule} ${release ?? '-'} ${channel}`)).sort();
    expect(actual).toEqual(expected);
    expect(stdout).toContain(`${expected.length} post(s) sent`);
  });

  it('publishes every post at its due time and never after its deadline', () => {
    for (const record of records) {
      expect(record.publishedAt).toBe(record.scheduledAt);
      if (record.deadline) expect(new Date(record.publishedAt).getTime()).toBeLessThan(new Date(record.deadline).getTime());
    }
  });

  it('never sends one post twice', () => {
    const ids = records.map((r) => r.postId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('attaches 1080×1350 cards with alt text: PNG for X, JPEG for Instagram; two for the weekly post', async () => {
    for (const record of records) {
      // The weekly template has a second card (how to book): a carousel on Instagram.
      expect(record.media).toHaveLength(record.rule === 'weekly' ? 2 : 1);
      for (const media of record.media) {
        expect(media.alt.length).toBeGreaterThan(40);
        const meta = await sharp(path.join(outDir, media.file)).metadata();
        expect([meta.width, meta.height]).toEqual([1080, 1350]);
        expect(meta.format).toBe(record.channel === 'x' ? 'png' : 'jpeg');
        expect(media.mime).toBe(record.channel === 'x' ? 'image/png' : 'image/jpeg');
      }
    }
  });

  /** The record of one post, failing clearly when it is missing. */
  const recordOf = (rule: string, channel: string, match: (r: OutboxRecord) => boolean): OutboxRecord => {
    const found = records.filter((r) => r.rule === rule && r.channel === channel && match(r));
    expect(found).toHaveLength(1);
    return found[0]!;
  };
  const linesOf = (record: OutboxRecord): string[] => record.text.split('\n');

  it('states the opening time in WIB and the counts of the release, line by line', () => {
    const opening = recordOf('opening', 'instagram', (r) => r.releaseId === 'mingguan@2026-12-04');
    expect(linesOf(opening)).toEqual(
      expect.arrayContaining([
        'Mulai pukul 14.00 WIB hari ini, Jumat, 4 Desember 2026, kuota antrean paspor Kantor Imigrasi Kelas I TPI Pontianak dapat dipesan.',
        '• Senin–Jumat, 7–11 Desember 2026: Reguler 120 dan Percepatan 20 per hari',
      ]),
    );
    const simpatik = recordOf('h-1', 'instagram', (r) => r.releaseId === 'simpatik-desember');
    expect(linesOf(simpatik)).toEqual(
      expect.arrayContaining([
        'Kuota antrean paspor Kantor Imigrasi Kelas I TPI Pontianak dibuka besok, Jumat, 11 Desember 2026, pukul 09.00 WIB.',
        '• Sabtu, 19 Desember 2026: Reguler 80',
        'Total: 80 Paspor Reguler.',
      ]),
    );
  });

  it('shows the closed days of a week with holidays in date order, with their reasons', () => {
    // Release of 2026-12-18 covers 21–25 December: the 24th is cuti bersama, the 25th Christmas.
    const h1 = recordOf('h-1', 'instagram', (r) => r.releaseId === 'mingguan@2026-12-18');
    const rows = linesOf(h1).filter((line) => line.startsWith('• '));
    expect(rows).toEqual([
      '• Senin–Rabu, 21–23 Desember 2026: Reguler 120 dan Percepatan 20 per hari',
      '• Kamis, 24 Desember 2026: tidak ada layanan (Cuti bersama Hari Raya Natal)',
      '• Jumat, 25 Desember 2026: tidak ada layanan (Hari Raya Natal)',
    ]);
    const digest = recordOf('weekly', 'instagram', (r) => r.scheduledAt.startsWith('2026-12-20'));
    expect(linesOf(digest)).toEqual(
      expect.arrayContaining([
        '🗓️ JADWAL KUOTA ANTREAN PASPOR PEKAN DEPAN, 21–27 DES 2026',
        '• Kamis, 24 Desember 2026: LIBUR, Cuti bersama Hari Raya Natal',
        '• Jumat, 25 Desember 2026: LIBUR, Hari Raya Natal',
        // The opening of Christmas Day is cancelled: the weekly post must not invite people to it.
        '• Jumat, 25 Desember 2026 pukul 14.00 WIB: DIBATALKAN (Hari Raya Natal; tidak ada layanan paspor 28 Desember 2026–1 Januari 2027)',
      ]),
    );
    const digestX = recordOf('weekly', 'x', (r) => r.scheduledAt.startsWith('2026-12-20'));
    expect(linesOf(digestX)).toContain('Pembukaan Jum, 25 Des DIBATALKAN.');
    expect(digestX.text).not.toContain('Dibuka lagi');
  });
});
