/**
 * Many-office deployments for the benchmarks (bench/scale.ts, bench/console.ts):
 * a throw-away config directory in the many-office layout, the sample's shared
 * herald.yaml (a year's horizon) and, per office, its own herald.yaml and calendar.
 *
 * - `writeOffices(n)`: n copies of the sample office (its calendar and CSV), in four zones.
 * - `writeVariedOffices(n)`: offices as a region has them: a weekly, twice-monthly or
 *   monthly opening rule, 1–6 services, four zones, a one-off opening each, and
 *   every fourth office with staff approval of its posts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');
export const TEMPLATES = path.join(ROOT, 'templates');
export const ZONES = ['Asia/Jakarta', 'Asia/Pontianak', 'Asia/Makassar', 'Asia/Jayapura'];

export const officeId = (i: number): string => `kanim-${String(i).padStart(3, '0')}`;

/** The sample herald.yaml without the office's identity and channels, a year ahead: what every office shares. */
function sharedHeraldYaml(): string {
  const sample = fs.readFileSync(path.join(ROOT, 'config', 'herald.yaml'), 'utf8');
  const shared = sample
    .replace(/^office:\n(?: {2}.*\n| {4}.*\n)+/m, 'office:\n  locale: id-ID\n  info:\n    bookingChannel: aplikasi M-Paspor\n')
    .replace(/^channels:\n(?: {2}.*\n)+/m, '')
    .replace(/horizonDays: \d+/, 'horizonDays: 365');
  if (!shared.includes('horizonDays: 365') || shared.includes('channels:\n  -')) throw new Error('the sample herald.yaml changed: update bench/deployment.ts');
  return shared;
}

function officeHeraldYaml(i: number, extra = ''): string {
  return (
    `office:\n  name: Kantor Imigrasi ${i}\n  shortName: Imigrasi ${i}\n  timezone: ${ZONES[i % ZONES.length]}\n` +
    `channels:\n  - { id: instagram, driver: outbox, platform: instagram }\n  - { id: x, driver: outbox, platform: x }\n${extra}`
  );
}

/** Writes `count` copies of the sample office: the sample's rules and services shared, each office its own herald.yaml and calendar. */
export function writeOffices(count: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `herald-scale-${count}-`));
  fs.writeFileSync(path.join(dir, 'herald.yaml'), sharedHeraldYaml());
  for (let i = 0; i < count; i += 1) {
    const officeDir = path.join(dir, 'offices', officeId(i));
    fs.mkdirSync(officeDir, { recursive: true });
    fs.writeFileSync(path.join(officeDir, 'herald.yaml'), officeHeraldYaml(i));
    fs.copyFileSync(path.join(ROOT, 'config', 'calendar.yaml'), path.join(officeDir, 'calendar.yaml'));
    fs.copyFileSync(path.join(ROOT, 'config', 'kuota.csv'), path.join(officeDir, 'kuota.csv'));
  }
  return dir;
}

const SERVICES = [
  { id: 'regular', name: 'Paspor Reguler', shortName: 'Reguler', quota: 120 },
  { id: 'express', name: 'Paspor Percepatan', shortName: 'Percepatan', quota: 20 },
  { id: 'lansia', name: 'Paspor Lansia', shortName: 'Lansia', quota: 15 },
  { id: 'anak', name: 'Paspor Anak', shortName: 'Anak', quota: 30 },
  { id: 'disabilitas', name: 'Paspor Disabilitas', shortName: 'Disabilitas', quota: 10 },
  { id: 'pelajar', name: 'Paspor Pelajar', shortName: 'Pelajar', quota: 25 },
];
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];

export type OpeningKind = 'weekly' | 'twiceMonthly' | 'monthly';

/** What office `i` of `writeVariedOffices` is. */
export function variedOffice(i: number): { id: string; kind: OpeningKind; services: number; zone: string; approval: boolean } {
  return {
    id: officeId(i),
    kind: (['monthly', 'twiceMonthly', 'weekly'] as const)[i % 3]!,
    services: 1 + (i % 6),
    zone: ZONES[i % ZONES.length]!,
    approval: i % 4 === 1,
  };
}

/**
 * Writes `count` varied offices whose rules start on `from` (YYYY-MM-DD): office 5
 * (weekly, six services, approvals, WIB) is the busiest kind.
 */
export function writeVariedOffices(count: number, from: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `herald-console-${count}-`));
  fs.writeFileSync(path.join(dir, 'herald.yaml'), sharedHeraldYaml());
  for (let i = 0; i < count; i += 1) {
    const office = variedOffice(i);
    const services = SERVICES.slice(0, office.services);
    const officeDir = path.join(dir, 'offices', office.id);
    fs.mkdirSync(officeDir, { recursive: true });
    const servicesYaml = `services:\n${services.map((s) => `  - { id: ${s.id}, name: ${s.name}, shortName: ${s.shortName} }\n`).join('')}`;
    const approvalYaml = office.approval ? 'settings:\n  approval: { required: true, hoursBefore: 24 }\n' : '';
    fs.writeFileSync(path.join(officeDir, 'herald.yaml'), officeHeraldYaml(i, servicesYaml + approvalYaml));
    fs.writeFileSync(path.join(officeDir, 'calendar.yaml'), variedCalendar(i, office.kind, services, from));
  }
  return dir;
}

function variedCalendar(i: number, kind: OpeningKind, services: readonly (typeof SERVICES)[number][], from: string): string {
  const quota = `{ ${services.map((s) => `${s.id}: ${s.quota}`).join(', ')} }`;
  const when =
    kind === 'weekly'
      ? `weekly: { weekday: ${WEEKDAYS[i % WEEKDAYS.length]}, weeksAhead: 1 }`
      : kind === 'twiceMonthly'
        ? 'twiceMonthly: { days: [1, 16] }'
        : `monthly: { day: ${20 + (i % 6)}, monthsAhead: 1 }`;
  // A one-off Saturday service a few weeks after the rules start, as offices announce them.
  const start = new Date(`${from}T00:00:00Z`);
  const saturday = new Date(start.getTime() + (((6 - start.getUTCDay() + 7) % 7) + 7 * (2 + (i % 8))) * 86_400_000);
  const opens = new Date(saturday.getTime() - 8 * 86_400_000);
  const day = (d: Date): string => d.toISOString().slice(0, 10);
  return [
    'recurring:',
    `  - id: rutin`,
    `    ${when}`,
    `    at: "${String(8 + (i % 7)).padStart(2, '0')}:00"`,
    `    quota: ${quota}`,
    `    from: ${from}`,
    'releases:',
    `  - id: simpatik-${day(saturday)}`,
    `    opensAt: "${day(opens)} 09:00"`,
    `    days:`,
    `      - { date: ${day(saturday)}, quota: { ${services[0]!.id}: 80 } }`,
    `    note: Layanan Paspor Simpatik hari Sabtu`,
    'closures:',
    `  - { date: ${day(new Date(saturday.getTime() + 30 * 86_400_000))}, reason: Pemeliharaan sistem antrean }`,
    '',
  ].join('\n');
}
