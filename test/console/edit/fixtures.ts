/**
 * The two configs the console edit tests use, as revision files: the sample
 * office of config/ (one-office layout, WIB, weekly releases, 2 services) and
 * an office unlike it — kanim-jayapura in the many-office layout (WIT,
 * Asia/Jayapura), monthly releases, 5 services.
 */
import path from 'node:path';
import { readOfficeFiles } from '../../../src/app/revision-files';
import type { EditEnvironment } from '../../../src/console/edit';

export const SAMPLE_OFFICE = 'kanim-pontianak';
export const WIT_OFFICE = 'kanim-jayapura';

/** An instant from an ISO literal with an explicit offset (never the host zone). */
export function at(iso: string): Date {
  if (!/(Z|[+-]\d\d:\d\d)$/.test(iso)) throw new Error(`at(): give an offset in ${iso}`);
  return new Date(iso);
}

export function environment(now: Date): EditEnvironment {
  return { sourceDir: path.resolve('config'), templatesDir: path.resolve('templates'), now };
}

/** Read once per instant in a test file: reading goes through the config loader (which office is it?). */
const sampleFilesAt = new Map<string, Record<string, string>>();

/** config/ as a revision: herald.yaml, calendar.yaml, kuota.csv (a copy the caller may change). */
export function sampleFiles(now: Date): Record<string, string> {
  const key = now.toISOString();
  let files = sampleFilesAt.get(key);
  if (!files) {
    const [office] = readOfficeFiles(path.resolve('config'), { now, templatesDir: path.resolve('templates') });
    files = office!.files;
    sampleFilesAt.set(key, files);
  }
  return { ...files };
}

const SHARED_HERALD = `# shared defaults of every office
office:
  locale: id-ID
holidays:
  country: null
announcements:
  - id: h-1
    when: { daysBefore: 1, at: "19:00" }
    channels: [instagram, x]
  - id: opening
    when: { atOpening: true }
    channels: [instagram, x]
`;

const WIT_HERALD = `office:
  name: Kantor Imigrasi Kelas I TPI Jayapura
  timezone: Asia/Jayapura # WIT
services:
  - { id: regular, name: Paspor Reguler, shortName: Reguler }
  - { id: express, name: Paspor Percepatan, shortName: Percepatan }
  - { id: lansia, name: Paspor Lansia, shortName: Lansia }
  - { id: disabilitas, name: Paspor Disabilitas, shortName: Disabilitas }
  - { id: umroh, name: Paspor Umroh, shortName: Umroh }
channels:
  - { id: instagram, driver: outbox, platform: instagram }
  - { id: x, driver: outbox, platform: x }
`;

export const WIT_CALENDAR = `# Kalender kuota Kanim Jayapura (WIT).

# Every month on the 25th at 09.00 WIT, for the working days of the next month.
recurring:
  - id: bulanan
    monthly: { day: 25, monthsAhead: 1 } # tanggal 25 setiap bulan
    at: "09:00"
    quota: { regular: 40, express: 10, lansia: 5, disabilitas: 5, umroh: 15 }
    from: 2026-11-25

# One-off openings.
releases:
  - id: layanan-sabtu
    # A Saturday service for the elderly.
    opensAt: "2026-12-14 08:00"
    days:
      - { date: 2026-12-19, quota: { regular: 20, lansia: 10 } } # Sabtu
    note: Layanan Paspor hari Sabtu

closures:
  - { date: 2026-12-24, reason: Cuti bersama Hari Raya Natal }
`;

/** kanim-jayapura's revision in the many-office layout (shared herald.yaml + offices/kanim-jayapura/). */
export function witFiles(): Record<string, string> {
  return {
    'herald.yaml': SHARED_HERALD,
    [`offices/${WIT_OFFICE}/herald.yaml`]: WIT_HERALD,
    [`offices/${WIT_OFFICE}/calendar.yaml`]: WIT_CALENDAR,
  };
}

/** Every comment line of `text` (what an edit must keep). */
export function commentLines(text: string): string[] {
  return text.split('\n').filter((line) => /#/.test(line)).map((line) => line.slice(line.indexOf('#')));
}
