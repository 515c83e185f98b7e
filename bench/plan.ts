/**
 * Planning at scale: 200 offices × 365 days × 4 rules (3 announcement + 1
 * weekly digest) × 2 channels, calendars expanded by the real expandCalendar
 * (weekly Friday releases, Indonesian holidays). Targets: ≤ 5 s, ≤ 1 GB.
 *
 * `node bin/run-ts.js bench/plan.ts`
 */
import { expandCalendar } from '../src/calendar/expand';
import type { ExpandedCalendar } from '../src/calendar/types';
import type { Config, OfficeConfig } from '../src/config/types';
import { calendarWindow, planPosts } from '../src/plan/plan-posts';

const OFFICES = 200;
const ZONES = ['Asia/Pontianak', 'Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura', 'Europe/Berlin'];
const TARGET_MS = 5_000;
const TARGET_MB = 1_024;
const here = { file: 'bench/plan.ts', line: 1, col: 1 };

function buildOffice(index: number): OfficeConfig {
  const id = `office-${String(index).padStart(3, '0')}`;
  const channel = (cid: string, platform: 'x' | 'instagram') =>
    ({ id: cid, driver: 'outbox', platform, credentials: {}, enabled: true, location: here }) as const;
  return {
    id,
    name: `Kantor Imigrasi ${index}`,
    shortName: `Imigrasi ${index}`,
    timezone: ZONES[index % ZONES.length]!,
    locale: 'id-ID',
    info: { bookingChannel: 'aplikasi M-Paspor', hashtags: ['#imigrasi'] },
    services: [
      { id: 'reguler', name: 'Paspor Reguler', shortName: 'Reguler', location: here },
      { id: 'percepatan', name: 'Paspor Percepatan', shortName: 'Percepatan', location: here },
    ],
    channels: [channel('x', 'x'), channel('instagram', 'instagram')],
    holidays: { country: 'ID', openAnyway: [] },
    announcements: [
      { id: 'h-1', timing: { kind: 'days-before', days: 1, time: '19:00' }, channels: ['x', 'instagram'], template: 'h-1', deadlineMinutesAfterOpening: 0, location: here },
      { id: 'h-60m', timing: { kind: 'before-opening', minutes: 60 }, channels: ['x', 'instagram'], template: 'h-60m', deadlineMinutesAfterOpening: 0, location: here },
      { id: 'buka', timing: { kind: 'before-opening', minutes: 0 }, channels: ['x', 'instagram'], template: 'buka', deadlineMinutesAfterOpening: 60, location: here },
    ],
    digests: [
      { id: 'jadwal', cron: '0 18 * * 0', rangeDays: 7, startOffsetDays: 1, channels: ['x', 'instagram'], template: 'jadwal', deadlineMinutes: 180, location: here },
    ],
    calendar: {
      releases: [],
      recurring: [
        {
          id: 'mingguan',
          pattern: { every: 'weekly', weekday: 5, weeksAhead: 1 },
          time: '14:00',
          weekdays: [1, 2, 3, 4, 5],
          quota: { reguler: 120 + index, percepatan: 20 },
          cancelledOn: [],
          location: here,
        },
      ],
      closures: [],
      imported: [],
    },
    location: here,
  };
}

function main(): void {
  const config: Config = {
    dir: '/bench',
    templatesDir: '/bench/templates',
    offices: Array.from({ length: OFFICES }, (_, i) => buildOffice(i)),
    settings: { renderAheadMinutes: 10, horizonDays: 35, replanCron: '*/10 * * * *' },
  };
  const range = { from: new Date('2027-01-01T00:00:00Z'), to: new Date('2028-01-01T00:00:00Z') };
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const calendars = new Map<string, ExpandedCalendar>();
  for (const office of config.offices) calendars.set(office.id, expandCalendar(office, calendarWindow(office, range)));
  const expanded = performance.now();
  const result = planPosts({ config, calendars, range });
  const finished = performance.now();
  const cpu = process.cpuUsage(cpuStart);
  // The work is synchronous, so a sampling timer would never fire: maxRSS is the kernel's peak.
  const peakRss = Math.max(process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);

  const releases = [...calendars.values()].reduce((sum, c) => sum + c.releases.length, 0);
  const totalMs = finished - started;
  const peakMb = peakRss / 1024 / 1024;
  const byKind = result.posts.reduce<Record<string, number>>((acc, p) => ((acc[p.kind] = (acc[p.kind] ?? 0) + 1), acc), {});
  console.log(`offices ${OFFICES}, range ${range.from.toISOString()} .. ${range.to.toISOString()}`);
  console.log(`expandCalendar: ${(expanded - started).toFixed(0)} ms (${releases} releases)`);
  console.log(`planPosts:      ${(finished - expanded).toFixed(0)} ms`);
  console.log(`total wall:     ${totalMs.toFixed(0)} ms (target ≤ ${TARGET_MS} ms); CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`);
  console.log(`posts planned:  ${result.posts.length} (${Object.entries(byKind).map(([k, n]) => `${k} ${n}`).join(', ')}), skipped ${result.skipped.length}`);
  console.log(`peak RSS:       ${peakMb.toFixed(0)} MB (target ≤ ${TARGET_MB} MB)`);
  const ok = totalMs <= TARGET_MS && peakMb <= TARGET_MB;
  console.log(ok ? 'plan bench: within targets' : 'plan bench: OVER TARGET');
  process.exitCode = ok ? 0 : 1;
}

main();
