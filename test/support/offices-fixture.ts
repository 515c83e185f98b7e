/**
 * A throw-away config of three offices in three zones, over shared defaults:
 * kanim-medan (WIB, Asia/Jakarta), kanim-makassar (WITA, Asia/Makassar, its
 * own captions/h-1.hbs), kanim-jayapura (WIT, Asia/Jayapura) — broken on
 * request. Each opens quota on `opensOn` at 10:00 office time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const OFFICES = [
  { id: 'kanim-jayapura', name: 'Kantor Imigrasi Jayapura', zone: 'Asia/Jayapura' },
  { id: 'kanim-makassar', name: 'Kantor Imigrasi Makassar', zone: 'Asia/Makassar' },
  { id: 'kanim-medan', name: 'Kantor Imigrasi Medan', zone: 'Asia/Jakarta' },
] as const;

export const OVERRIDE_MARKER = 'KHUSUS WARGA MAKASSAR';

export const SHARED_HERALD = `# shared defaults of every office
office:
  locale: id-ID
  info:
    bookingChannel: aplikasi M-Paspor
services:
  - { id: regular, name: Paspor Reguler, shortName: Reguler }
  - { id: express, name: Paspor Percepatan, shortName: Percepatan }
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

export function officeHerald(office: (typeof OFFICES)[number]): string {
  return `office:
  name: ${office.name}
  timezone: ${office.zone}
channels:
  - { id: instagram, driver: outbox, platform: instagram }
  - { id: x, driver: outbox, platform: x }
`;
}

export function officeCalendar(opensOn: string, serviceDay: string, regular = 100): string {
  return `releases:
  - id: buka
    opensAt: "${opensOn} 10:00"
    days:
      - { date: ${serviceDay}, quota: { regular: ${regular}, express: 10 } }
`;
}

/** The broken edit: an unknown time zone on line 3 of the office's herald.yaml. */
export function brokenHerald(office: (typeof OFFICES)[number]): string {
  return officeHerald(office).replace(`timezone: ${office.zone}`, 'timezone: Asia/Jayapuraa');
}

export function writeFile(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** Writes the three offices; `broken` gives that office the broken herald.yaml. */
/**
 * Gives the deployment the public address its cards' QR codes lead to
 * (settings.web.publicBaseUrl in the shared herald.yaml), for tests that
 * expect `check` to have nothing to warn about. Not in SHARED_HERALD: tests
 * append their own `web:` (a port) to it.
 */
export function setPublicBaseUrl(dir: string, url = 'https://kuota.example.go.id'): void {
  fs.appendFileSync(path.join(dir, 'herald.yaml'), `  web: { publicBaseUrl: "${url}" }\n`);
}

export function writeOfficesConfig(options: { opensOn: string; serviceDay: string; broken?: string }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-offices-'));
  writeFile(path.join(dir, 'herald.yaml'), SHARED_HERALD);
  for (const office of OFFICES) {
    const officeDir = path.join(dir, 'offices', office.id);
    writeFile(path.join(officeDir, 'herald.yaml'), office.id === options.broken ? brokenHerald(office) : officeHerald(office));
    writeFile(path.join(officeDir, 'calendar.yaml'), officeCalendar(options.opensOn, options.serviceDay));
  }
  // Makassar's own h-1 caption, short enough for X too (it serves both of its channels).
  writeFile(
    path.join(dir, 'offices', 'kanim-makassar', 'templates', 'captions', 'h-1.hbs'),
    `${OVERRIDE_MARKER}\nKuota paspor {{office.name}} dibuka {{relativeDate release.opensAt}} pukul {{time release.opensAt}}.\n`,
  );
  return dir;
}
