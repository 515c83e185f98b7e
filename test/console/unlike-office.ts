/**
 * An office unlike the sample, in a many-office deployment: a ~90-character
 * name, five services, a monthly opening (the 18th at 10.00 WIT, for the next
 * month), Asia/Jayapura. Its own X caption for h-1 names the office twice and
 * lists every service's total: over X's 280 weighted characters whatever the
 * compact level. The deployment shares a caption for `opening`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readOfficeFiles } from '../../src/app/revision-files';
import type { OfficeFilesSource } from '../../src/console/preview';
import { REPO_ROOT } from '../support/cli';

export const UNLIKE_ID = 'kanim-merauke';
export const LONG_NAME = 'Kantor Imigrasi Kelas II Tempat Pemeriksaan Imigrasi Merauke, Kantor Wilayah Papua Selatan';
export const SHARED_OPENING_MARKER = 'DIBUKA SEKARANG (teks bersama)';

const SHARED_HERALD = `office:
  locale: id-ID
  info:
    bookingChannel: aplikasi M-Paspor
holidays:
  country: null
announcements:
  - id: h-1
    when: { daysBefore: 1, at: "19:00" }
    channels: [instagram, x]
  - id: opening
    when: { atOpening: true }
    channels: [instagram, x]
settings:
  horizonDays: 35
`;

const OFFICE_HERALD = `office:
  name: ${LONG_NAME}
  shortName: Imigrasi Merauke
  timezone: Asia/Jayapura
  info:
    hashtags: [ImigrasiMerauke, MPaspor, KuotaPasporMerauke]
services:
  - { id: reguler, name: Paspor Reguler 48 Halaman, shortName: Reguler }
  - { id: elektronik, name: Paspor Elektronik, shortName: Elektronik }
  - { id: percepatan, name: Layanan Percepatan Sehari Jadi, shortName: Percepatan }
  - { id: lansia, name: Lansia dan Disabilitas, shortName: Lansia }
  - { id: umroh, name: Paspor Umroh dan Haji, shortName: Umroh }
channels:
  - { id: instagram, driver: outbox, platform: instagram }
  - { id: x, driver: outbox, platform: x }
`;

const OFFICE_CALENDAR = `recurring:
  - id: bulanan
    monthly: { day: 18, monthsAhead: 1 }
    at: "10:00"
    quota: { reguler: 60, elektronik: 40, percepatan: 15, lansia: 10, umroh: 25 }
    from: 2026-11-01
`;

/** Too long for X on purpose (no {{#if (compact)}} to fall back on). */
export const LONG_X_CAPTION = `Pengumuman resmi {{office.name}}: kuota antrean paspor dibuka {{relativeDate release.opensAt}} pukul {{time release.opensAt}}.
Total: {{quotaList release.totals countFirst=true}}.
Sekali lagi dari {{office.name}}: daftar hanya lewat {{office.info.bookingChannel}}, GRATIS.
`;

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** Writes the deployment to a new temporary directory and returns it. */
export function writeUnlikeDeployment(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-console-unlike-'));
  write(path.join(dir, 'herald.yaml'), SHARED_HERALD);
  write(path.join(dir, 'templates', 'captions', 'opening.hbs'), `${SHARED_OPENING_MARKER}: kuota paspor {{office.shortName}}, {{time release.opensAt}}.\n{{> hashtags}}\n`);
  const own = path.join(dir, 'offices', UNLIKE_ID);
  write(path.join(own, 'herald.yaml'), OFFICE_HERALD);
  write(path.join(own, 'calendar.yaml'), OFFICE_CALENDAR);
  write(path.join(own, 'templates', 'captions', 'h-1.x.hbs'), LONG_X_CAPTION);
  return dir;
}

/**
 * Jest hooks for the caption tests: the sample office's files (read at
 * `sampleNow`) and the unlike deployment's office (written to a temporary
 * directory, read at `unlikeNow`), read once for the file, removed after it.
 */
export function useCaptionSources(sampleNow: Date, unlikeNow: Date): { sample: OfficeFilesSource; unlike: OfficeFilesSource } {
  const config = path.join(REPO_ROOT, 'config');
  const sources = {} as { sample: OfficeFilesSource; unlike: OfficeFilesSource };
  let unlikeDir: string | undefined;
  beforeAll(() => {
    unlikeDir = writeUnlikeDeployment();
    sources.sample = { officeId: 'kanim-pontianak', files: readOfficeFiles(config, { now: sampleNow })[0]!.files, sourceDir: config };
    sources.unlike = { officeId: UNLIKE_ID, files: readOfficeFiles(unlikeDir, { now: unlikeNow, only: [UNLIKE_ID] })[0]!.files, sourceDir: unlikeDir };
  });
  afterAll(() => {
    if (unlikeDir) fs.rmSync(unlikeDir, { recursive: true, force: true });
  });
  return sources;
}
