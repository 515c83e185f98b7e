import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { ExpandedCalendar } from '../../src/calendar/types';
import type { OfficeConfig } from '../../src/config/types';
import { planPosts, type PlanInput } from '../../src/plan/plan-posts';
import type { PlannedPost } from '../../src/plan/types';
import {
  at,
  buildAnnouncementRule,
  buildCalendar,
  buildConfig,
  buildOffice,
  buildRelease,
  buildWeeklyRelease,
  buildWeeklyReleases,
} from './builders';
import { planSample } from './sample-plan';

function plan(office: OfficeConfig, calendar: ExpandedCalendar, from: string, to: string, now?: string) {
  const input: PlanInput = {
    config: buildConfig([office]),
    calendars: new Map([[office.id, calendar]]),
    range: { from: at(from), to: at(to) },
  };
  if (now) input.now = at(now);
  return planPosts(input);
}

function find(posts: PlannedPost[], ruleId: string, channelId = 'x', subject?: string): PlannedPost {
  const post = posts.find((p) => p.ruleId === ruleId && p.channelId === channelId && (!subject || p.subject === subject));
  if (!post) throw new Error(`no ${ruleId} post on ${channelId} ${subject ?? ''}`);
  return post;
}

const announcementsOnly = (): OfficeConfig => buildOffice({ digests: [] });

describe('plan/plan-posts planPosts: announcements', () => {
  const release = buildWeeklyRelease('2026-11-27'); // opens Friday 14:00 WIB = 07:00Z

  it('plans each rule on each channel with its due time and deadline', () => {
    const { posts, skipped } = plan(announcementsOnly(), buildCalendar([release]), '2026-11-26T00:00+07:00', '2026-11-28T00:00+07:00');
    expect(skipped).toEqual([]);
    expect(posts).toHaveLength(6);
    const h1 = find(posts, 'h-1');
    expect(h1.dueAt.toISOString()).toBe('2026-11-26T12:00:00.000Z'); // Thursday 19:00 WIB
    expect(h1.deadline?.toISOString()).toBe('2026-11-27T07:00:00.000Z'); // worthless once open
    const h60 = find(posts, 'h-60m', 'instagram');
    expect(h60.dueAt.toISOString()).toBe('2026-11-27T06:00:00.000Z');
    expect(h60.deadline?.toISOString()).toBe('2026-11-27T07:00:00.000Z');
    const open = find(posts, 'buka');
    expect(open.dueAt.toISOString()).toBe('2026-11-27T07:00:00.000Z');
    expect(open.deadline?.toISOString()).toBe('2026-11-27T08:00:00.000Z'); // at opening + 60 min
    expect(open).toMatchObject({ kind: 'announcement', releaseId: release.id, subject: release.id, template: 'buka', officeId: 'kanim-pontianak' });
  });

  it('caps the deadline at the closing time of the release', () => {
    const short = buildRelease({ id: 'kilat', opens: '2026-11-27 14:00', closes: '2026-11-27 14:30', days: ['2026-11-30'] });
    const { posts } = plan(announcementsOnly(), buildCalendar([short]), '2026-11-26T00:00+07:00', '2026-11-28T00:00+07:00');
    expect(find(posts, 'buka').deadline?.toISOString()).toBe('2026-11-27T07:30:00.000Z');
    expect(find(posts, 'h-60m').deadline?.toISOString()).toBe('2026-11-27T07:00:00.000Z');
  });

  it('counts "1 day before at 19:00" in local days across a DST change', () => {
    const berlin = buildOffice({ id: 'berlin', timezone: 'Europe/Berlin', digests: [] });
    const monday = buildRelease({ officeId: 'berlin', zone: 'Europe/Berlin', opens: '2026-03-30 10:00', days: ['2026-04-01'] });
    const { posts } = plan(berlin, buildCalendar([monday], [], 'berlin'), '2026-03-28T00:00Z', '2026-03-31T00:00Z');
    expect(find(posts, 'h-1').dueAt.toISOString()).toBe('2026-03-29T17:00:00.000Z'); // 19:00 CEST, the DST day
    expect(find(posts, 'h-60m').dueAt.toISOString()).toBe('2026-03-30T07:00:00.000Z');
  });

  it('drops posts due before `now`, keeping one due exactly at `now`', () => {
    const calendar = buildCalendar([release]);
    const { posts } = plan(announcementsOnly(), calendar, '2026-11-20T00:00Z', '2026-12-01T00:00Z', '2026-11-27T13:00+07:00');
    expect(posts.map((p) => p.ruleId).sort()).toEqual(['buka', 'buka', 'h-60m', 'h-60m']);
    expect(posts.every((p) => p.dueAt.getTime() >= at('2026-11-27T13:00+07:00').getTime())).toBe(true);
  });

  it('plans only posts due in [from, to)', () => {
    const { posts } = plan(announcementsOnly(), buildCalendar([release]), '2026-11-26T19:00+07:00', '2026-11-27T14:00+07:00');
    expect(posts.map((p) => p.ruleId).sort()).toEqual(['h-1', 'h-1', 'h-60m', 'h-60m']);
  });

  it('does not announce a cancelled release', () => {
    const cancelled = buildWeeklyRelease('2026-11-27', { status: 'cancelled', cancelReason: 'gangguan sistem' });
    const { posts, skipped } = plan(announcementsOnly(), buildCalendar([cancelled]), '2026-11-20T00:00Z', '2026-12-01T00:00Z');
    expect(posts).toEqual([]);
    expect(skipped).toEqual([]);
  });

  it('skips a post that would be due after its deadline, saying why', () => {
    const office = buildOffice({
      digests: [],
      announcements: [buildAnnouncementRule({ id: 'hari-h', timing: { kind: 'days-before', days: 0, time: '19:00' }, channels: ['x'] })],
    });
    const { posts, skipped } = plan(office, buildCalendar([release]), '2026-11-20T00:00Z', '2026-12-01T00:00Z');
    expect(posts).toEqual([]);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ officeId: 'kanim-pontianak', ruleId: 'hari-h', subject: release.id, channelId: 'x' });
    expect(skipped[0]!.reason).toContain('hari-h posts on the opening day at 19:00 (2026-11-27 19:00 Asia/Pontianak)');
    expect(skipped[0]!.reason).toContain('not before its deadline 2026-11-27 14:00 Asia/Pontianak (when the release opens)');
    expect(skipped[0]!.reason).toContain('move the rule earlier');
  });

  it('skips a release whose every day is closed, naming the closure', () => {
    const lebaran = buildWeeklyRelease('2027-03-05', {
      removed: {
        '2027-03-08': 'Cuti Bersama Idul Fitri',
        '2027-03-09': 'Hari Raya Idul Fitri',
        '2027-03-10': 'Hari Raya Idul Fitri',
        '2027-03-11': 'Cuti Bersama Idul Fitri',
        '2027-03-12': 'Cuti Bersama Idul Fitri',
      },
    });
    const { posts, skipped } = plan(announcementsOnly(), buildCalendar([lebaran]), '2027-03-01T00:00Z', '2027-03-07T00:00Z');
    expect(posts).toEqual([]);
    expect(skipped).toHaveLength(6); // 3 rules × 2 channels
    expect(skipped[0]!.reason).toBe(
      `release ${lebaran.id} has no service day left: every day it covers is closed (Cuti Bersama Idul Fitri, Hari Raya Idul Fitri); cancel the release or give it open days`,
    );
  });

  it('plans nothing on a disabled channel and reports an unknown one', () => {
    const office = buildOffice({ digests: [] });
    office.channels = office.channels.map((c) => (c.id === 'instagram' ? { ...c, enabled: false } : c));
    office.announcements = [buildAnnouncementRule({ id: 'h-60m', timing: { kind: 'before-opening', minutes: 60 }, channels: ['x', 'instagram', 'tiktok'] })];
    const { posts, skipped } = plan(office, buildCalendar([release]), '2026-11-20T00:00Z', '2026-12-01T00:00Z');
    expect(posts.map((p) => p.channelId)).toEqual(['x']);
    expect(skipped).toEqual([
      {
        officeId: 'kanim-pontianak',
        ruleId: 'h-60m',
        subject: release.id,
        channelId: 'tiktok',
        reason: 'channel tiktok is not defined for office kanim-pontianak; add it under channels or remove it from the rule',
      },
    ]);
  });
});

describe('plan/plan-posts planPosts: ids, fingerprints, order', () => {
  it('gives the same ids and fingerprints for the same inputs built twice', () => {
    expect(planSample()).toEqual(planSample());
  });

  it('gives the same plan under another host time zone (a child process with TZ=America/Sao_Paulo)', () => {
    const root = path.resolve(__dirname, '../..');
    const child = spawnSync(process.execPath, [path.join(root, 'bin/run-ts.js'), path.join(__dirname, 'sample-plan.ts')], {
      cwd: root,
      env: { ...process.env, TZ: 'America/Sao_Paulo' },
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual(planSample());
  });

  it('gives every post its own id: per channel, rule, release and digest period', () => {
    const sample = planSample();
    // 3 weekly releases and 1 extra × 3 rules × 2 channels, plus 3 Sunday digests × 2 channels.
    expect(sample).toHaveLength(4 * 3 * 2 + 3 * 2);
    expect(new Set(sample.map((p) => p.id)).size).toBe(sample.length);
  });

  it('sorts by due time, then id', () => {
    const sample = planSample();
    const sorted = [...sample].sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
    expect(sample).toEqual(sorted);
  });

  it('shares one fingerprint across channels, and changes it (not the id) when a count changes', () => {
    const office = announcementsOnly();
    const range: [string, string] = ['2026-11-20T00:00Z', '2026-12-01T00:00Z'];
    const before = plan(office, buildCalendar([buildWeeklyRelease('2026-11-27')]), ...range).posts;
    const after = plan(office, buildCalendar([buildWeeklyRelease('2026-11-27', { quota: { reguler: 100, percepatan: 20 } })]), ...range).posts;
    expect(find(before, 'h-1', 'x').fingerprint).toBe(find(before, 'h-1', 'instagram').fingerprint);
    expect(find(before, 'h-1').fingerprint).not.toBe(find(before, 'h-60m').fingerprint);
    expect(after.map((p) => p.id)).toEqual(before.map((p) => p.id));
    after.forEach((post, i) => expect(post.fingerprint).not.toBe(before[i]!.fingerprint));
  });

  it('keeps facts JSON-serialisable, with instants as ISO strings', () => {
    const { posts } = plan(buildOffice(), buildCalendar(buildWeeklyReleases('2026-11-20', 3)), '2026-11-23T00:00Z', '2026-12-07T00:00Z');
    expect(posts.length).toBeGreaterThan(0);
    for (const post of posts) expect(JSON.parse(JSON.stringify(post.facts))).toEqual(post.facts);
    const announcement = posts.find((p) => p.kind === 'announcement')!;
    expect(announcement.facts.release?.opensAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
    expect(announcement.facts.timing).toBeDefined();
    expect(announcement.facts.services.map((s) => s.id)).toEqual(['reguler', 'percepatan']);
  });

  it('refuses to plan an office it has no calendar for', () => {
    expect(() =>
      planPosts({ config: buildConfig([buildOffice()]), calendars: new Map(), range: { from: at('2026-11-01T00:00Z'), to: at('2026-12-01T00:00Z') } }),
    ).toThrow(/no expanded calendar for office kanim-pontianak/);
  });
});
