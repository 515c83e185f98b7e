/**
 * Opening and digest times that a clock change of the office zone skips or
 * repeats: warned at load (and so in `check`), at the rule, with the date and
 * what the bot will do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadAll } from '../../src/app/load-all';
import { planAll } from '../../src/app/plan-all';
import { loadConfig } from '../../src/config/load';
import { MINIMAL_HERALD, MINIMAL_TEMPLATES, writeTempDir } from './helpers';

const BERLIN_HERALD = `${MINIMAL_HERALD.replace('timezone: Asia/Pontianak', 'timezone: Europe/Berlin')}digests:
  - { id: malam, cron: "30 2 * * 0", channels: [x], template: h-1 }
  - { id: sore, cron: "0 18 * * 0", channels: [x], template: h-1 }
`;

const CALENDAR = [
  'recurring:',
  '  - id: minggu-dini',
  '    weekly: { weekday: sunday, weeksAhead: 1 }',
  '    at: "02:30"',
  '    serviceWeekdays: [monday]',
  '    quota: { regular: 10 }',
  '  - id: jumat',
  '    weekly: { weekday: friday, weeksAhead: 1 }',
  '    at: "14:00"',
  '    serviceWeekdays: [monday]',
  '    quota: { express: 5 }',
  'releases:',
  '  - id: khusus',
  '    opensAt: "2027-10-31 02:15"',
  '    days:',
  '      - { date: 2027-11-03, quota: { express: 5 } }',
  '',
].join('\n');

function warningsFor(files: Record<string, string>, now: string, checkDays: number): string[] {
  const dir = writeTempDir({ ...MINIMAL_TEMPLATES, ...files });
  try {
    const { problems } = loadAll(dir, { now: new Date(now), checkDays });
    return problems
      .filter((p) => p.severity === 'warning' && /clocks/.test(p.message))
      .map((p) => `${path.relative(dir, p.location!.file)}:${p.location!.line}:${p.location!.col}: ${p.message}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('config: times a clock change skips or repeats', () => {
  it('warns at each rule and release, once per kind of change, saying when it will happen instead', () => {
    expect(warningsFor({ 'herald.yaml': BERLIN_HERALD, 'calendar.yaml': CALENDAR }, '2027-03-01T12:00:00Z', 300)).toEqual([
      'calendar.yaml:2:5: recurring rule minggu-dini opens at 02:30 on Sunday 2027-03-28, a time that does not exist in Europe/Berlin: the clocks jump from 02:00 to 03:00. The opening is at 03:30 instead; pick a time outside 02:00–03:00 if that is not what you want.',
      'calendar.yaml:2:5: recurring rule minggu-dini opens at 02:30 on Sunday 2027-10-31, a time that happens twice in Europe/Berlin: the clocks go back from 03:00 to 02:00. The opening is at the first 02:30 (UTC+02:00), once; pick a time outside 02:00–03:00 to leave no doubt.',
      'calendar.yaml:13:5: release khusus opens at 02:15 on Sunday 2027-10-31, a time that happens twice in Europe/Berlin: the clocks go back from 03:00 to 02:00. The opening is at the first 02:15 (UTC+02:00), once; pick a time outside 02:00–03:00 to leave no doubt.',
      'herald.yaml:13:5: digest rule malam posts at 02:30 on Sunday 2027-03-28, a time that does not exist in Europe/Berlin: the clocks jump from 02:00 to 03:00. The digest goes out at 03:30 instead; pick a time outside 02:00–03:00 if that is not what you want.',
      'herald.yaml:13:5: digest rule malam posts at 02:30 on Sunday 2027-10-31, a time that happens twice in Europe/Berlin: the clocks go back from 03:00 to 02:00. The digest goes out at the first 02:30 (UTC+02:00), once; pick a time outside 02:00–03:00 to leave no doubt.',
    ]);
  });

  it('counts the further dates of a rule in one warning (to 2029-05-10: 2028-03-26, 2029-03-25)', () => {
    const warnings = warningsFor({ 'herald.yaml': BERLIN_HERALD, 'calendar.yaml': CALENDAR }, '2027-03-01T12:00:00Z', 800);
    expect(warnings[0]).toContain('recurring rule minggu-dini opens at 02:30 on Sunday 2027-03-28 (also 2 more date(s), the next 2028-03-26), a time that does not exist');
  });

  it('says nothing when no change falls in the days checked, or the zone has none', () => {
    expect(warningsFor({ 'herald.yaml': BERLIN_HERALD, 'calendar.yaml': CALENDAR }, '2027-04-01T12:00:00Z', 60)).toEqual([]);
    const pontianak = BERLIN_HERALD.replace('timezone: Europe/Berlin', 'timezone: Asia/Pontianak');
    expect(warningsFor({ 'herald.yaml': pontianak, 'calendar.yaml': CALENDAR }, '2027-03-01T12:00:00Z', 300)).toEqual([]);
  });

  it('finds the half-hour change of Lord Howe', () => {
    const lordHowe = MINIMAL_HERALD.replace('timezone: Asia/Pontianak', 'timezone: Australia/Lord_Howe');
    const calendar = ['recurring:', '  - id: sabtu', '    weekly: { weekday: sunday, weeksAhead: 1 }', '    at: "02:15"', '    serviceWeekdays: [monday]', '    quota: { regular: 10 }', ''].join('\n');
    expect(warningsFor({ 'herald.yaml': lordHowe, 'calendar.yaml': calendar }, '2027-09-01T00:00:00Z', 60)).toEqual([
      'calendar.yaml:2:5: recurring rule sabtu opens at 02:15 on Sunday 2027-10-03, a time that does not exist in Australia/Lord_Howe: the clocks jump from 02:00 to 02:30. The opening is at 02:45 instead; pick a time outside 02:00–02:30 if that is not what you want.',
    ]);
  });
});

describe('config: fixed-time announcements a clock change skips or repeats', () => {
  // Europe/Berlin 2026: clocks jump 02:00 → 03:00 on Sunday 29 March, go back 03:00 → 02:00 on Sunday 25 October.
  const herald = `${MINIMAL_HERALD.replace('timezone: Asia/Pontianak', 'timezone: Europe/Berlin')}  - { id: malam, when: { daysBefore: 1, at: "02:30" }, channels: [x], template: h-1 }
  - { id: subuh, when: { daysBefore: 0, at: "02:30" }, channels: [x], template: h-1 }
`;
  const calendar = [
    'recurring:',
    '  - id: senin',
    '    weekly: { weekday: monday, weeksAhead: 1 }',
    '    at: "10:00"',
    '    serviceWeekdays: [tuesday]',
    '    quota: { regular: 10 }',
    'releases:',
    '  - id: dini',
    '    opensAt: "2026-03-29 03:00"',
    '    days:',
    '      - { date: 2026-03-31, quota: { express: 5 } }',
    '',
  ].join('\n');

  function problemsFor(now: string, checkDays: number): string[] {
    const dir = writeTempDir({ ...MINIMAL_TEMPLATES, 'herald.yaml': herald, 'calendar.yaml': calendar });
    const { problems } = loadAll(dir, { now: new Date(now), checkDays });
    return problems.filter((p) => /clocks/.test(p.message)).map((p) => `${p.severity} ${path.relative(dir, p.location!.file)}:${p.location!.line}:${p.location!.col}: ${p.message}`);
  }

  it('a post the gap pushes past its deadline is a warning, and the planner leaves just that post out', () => {
    const dir = writeTempDir({ ...MINIMAL_TEMPLATES, 'herald.yaml': herald, 'calendar.yaml': calendar });
    const now = new Date('2026-03-01T12:00:00Z');
    const { problems } = loadAll(dir, { now, checkDays: 300 });
    const { config } = loadConfig(dir);
    // (The minimal test templates lack the h-1 files: those errors are not this test's business.)
    expect(problems.filter((p) => /clocks/.test(p.message)).map((p) => p.severity)).toEqual(['warning', 'warning', 'warning']);
    const posts = planAll(config!, { from: now, to: new Date('2026-04-01T00:00:00Z') }, now).posts.filter((p) => p.releaseId === 'dini');
    expect(posts.map((p) => p.ruleId).sort()).toEqual(expect.arrayContaining(['malam']));
    expect(posts.map((p) => p.ruleId)).not.toContain('subuh');
  });

  it('warns at the rule when the post time does not exist or happens twice, and when the gap pushes a post past its deadline', () => {
    expect(problemsFor('2026-03-01T12:00:00Z', 300)).toEqual([
      'warning herald.yaml:12:5: announcement rule malam posts at 02:30 on Sunday 2026-03-29 (for release senin@2026-03-30), a time that does not exist in Europe/Berlin: the clocks jump from 02:00 to 03:00. The announcement goes out at 03:30 instead; pick a time outside 02:00–03:00 if that is not what you want.',
      'warning herald.yaml:12:5: announcement rule malam posts at 02:30 on Sunday 2026-10-25 (for release senin@2026-10-26), a time that happens twice in Europe/Berlin: the clocks go back from 03:00 to 02:00. The announcement goes out at the first 02:30 (UTC+02:00), once; pick a time outside 02:00–03:00 to leave no doubt.',
      'warning herald.yaml:13:5: announcement rule subuh posts at 02:30 on Sunday 2026-03-29 (for release dini), a time that does not exist in Europe/Berlin: the clocks jump from 02:00 to 03:00. Moved to 03:30, the post would come at or after its deadline 03:00 (when the release opens), so this announcement is left out: pick a time outside 02:00–03:00, earlier than the opening.',
    ]);
  });

  it('says nothing when no clock change falls in the days checked', () => {
    expect(problemsFor('2026-04-01T12:00:00Z', 60)).toEqual([]);
  });
});
