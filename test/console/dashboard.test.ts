/**
 * console/dashboard on both engines: the sample office half-way through an
 * opening day (posts published, failed, unclear; a rejected edit; a token
 * close to expiry) and Jayapura (WIT) over its daily cap around a midnight opening.
 */
import { ACCOUNTS_STATUS_KEY, type StoredAccountReport } from '../../src/app/account-watch';
import { buildDashboard } from '../../src/console/dashboard';
import { insertChannelToken } from '../../src/store/channel-tokens';
import { createRevision } from '../../src/store/config-revisions';
import type { Store } from '../../src/store/open';
import { setRuntimeStatus } from '../../src/store/runtime-status';
import { DIALECTS, useTestStore } from '../support/databases';
import { at, consoleOffice, fail, JAYAPURA_NAME, loadJayapura, loadSample, planInto, postOf, publish } from './offices';

const SAMPLE = 'kanim-pontianak';
const WEEK = 'mingguan@2026-11-27';
const PLAN_AT = at('2026-11-26T08:00+07:00');
/** Friday 27 November 2026, half an hour before the weekly opening at 14.00 WIB. */
const NOW = at('2026-11-27T13:30+07:00');

/** Half-way through the opening day: one post out, one expired, one dead, one unclear. */
async function sampleDay(store: Store): Promise<void> {
  const loaded = loadSample(PLAN_AT);
  await planInto(store, loaded, PLAN_AT);
  await publish(store, await postOf(store, SAMPLE, 'h-1', WEEK, 'x'), { remoteId: '1862000000000000001', url: 'https://x.com/imigrasiptk/status/1862000000000000001', text: 'Kuota dibuka besok. Info: pontianak.imigrasi.go.id' });
  await fail(store, await postOf(store, SAMPLE, 'h-1', WEEK, 'instagram'), 'expired', 'instagram: the account used all 50 posts of the last 24 h; no retry can finish before the deadline 2026-11-27T07:00:00.000Z');
  await fail(store, await postOf(store, SAMPLE, 'h-60m', WEEK, 'x'), 'dead', 'X refused the post (403 duplicate content)');
  await fail(store, await postOf(store, SAMPLE, 'h-60m', WEEK, 'instagram'), 'unknown', 'instagram: no answer to media_publish within 30 s');
}

describe.each(DIALECTS)('console/dashboard on %s', (dialect) => {
  describe('the sample office half-way through its opening day', () => {
    // Written once for the block: each test reads a copy of it.
    const ctx = useTestStore(dialect, { seed: sampleDay });

    test('the next posts: the opening in 30 minutes on both channels, in office time', async () => {
      const view = await buildDashboard(ctx.store, consoleOffice(loadSample(NOW)), { now: NOW });
      expect(view.officeId).toBe(SAMPLE);
      expect(view.now.text).toBe('Jum 27 Nov 13.30 WIB');
      const first = view.next[0]!;
      expect(first).toMatchObject({ ruleId: 'opening', kind: 'announcement', releaseId: WEEK, countdownMs: 30 * 60_000, dueAt: { text: 'Jum 27 Nov 14.00 WIB', iso: '2026-11-27T07:00:00.000Z' } });
      expect(first.channels.map((c) => [c.label, c.platform, c.state, c.stateLabel])).toEqual([
        ['instagram', 'instagram', 'planned', 'Terjadwal'],
        ['x', 'x', 'planned', 'Terjadwal'],
      ]);
      // Next in time: the weekly digest on Sunday, then the evening before the next opening.
      expect(view.next.slice(1, 3).map((group) => [group.ruleId, group.dueAt.text])).toEqual([
        ['weekly', 'Min 29 Nov 18.00 WIB'],
        ['h-1', 'Kam 3 Des 19.00 WIB'],
      ]);
      expect(view.next.every((group) => group.countdownMs > 0)).toBe(true);
    });

    test('what went out: the published X post with the link to the live post', async () => {
      const view = await buildDashboard(ctx.store, consoleOffice(loadSample(NOW)), { now: NOW });
      expect(view.recent).toHaveLength(1);
      expect(view.recent[0]).toMatchObject({ label: 'x', ruleId: 'h-1', kind: 'announcement', releaseId: WEEK, state: 'published', stateLabel: 'Terkirim', link: 'https://x.com/imigrasiptk/status/1862000000000000001', publishedAt: { text: 'Kam 26 Nov 19.00 WIB' } });
    });

    test('what needs staff: failed, expired and unclear posts, each with what to do', async () => {
      const view = await buildDashboard(ctx.store, consoleOffice(loadSample(NOW)), { now: NOW });
      const byKind = new Map(view.needsStaff.map((task) => [task.kind, task]));
      expect(byKind.get('post-dead')).toMatchObject({ severity: 'error', channelId: 'x', details: ['X refused the post (403 duplicate content)'] });
      expect(byKind.get('post-dead')!.title).toBe('Unggahan h-60m ke x gagal (jadwal Jum 27 Nov 13.00 WIB)');
      expect(byKind.get('post-expired')!.title).toBe('Unggahan h-1 ke instagram kedaluwarsa (jadwal Kam 26 Nov 19.00 WIB)');
      // The ISO deadline inside the stored error reads as office time.
      expect(byKind.get('post-expired')!.details).toEqual(['instagram: the account used all 50 posts of the last 24 h; no retry can finish before the deadline Jum 27 Nov 14.00 WIB']);
      expect(byKind.get('post-unknown')).toMatchObject({ severity: 'warning', channelId: 'instagram' });
      expect(byKind.get('post-unknown')!.action).toContain('Jangan mengunggah ulang');
      // Errors come first.
      const severities = view.needsStaff.map((task) => task.severity);
      expect(severities).toEqual([...severities].sort());
    });

    test('English on request', async () => {
      const view = await buildDashboard(ctx.store, consoleOffice(loadSample(NOW)), { now: NOW, lang: 'en' });
      expect(view.needsStaff.find((task) => task.kind === 'post-dead')!.title).toBe('The h-60m post to x failed (due Jum 27 Nov 13.00 WIB)');
      expect(view.next[0]!.channels[0]!.stateLabel).toBe('Planned');
    });

    test('an expired post older than the attention window no longer needs staff', async () => {
      const later = at('2026-12-02T10:00+07:00');
      const view = await buildDashboard(ctx.store, consoleOffice(loadSample(later)), { now: later, attentionDays: 7 });
      expect(view.needsStaff.map((task) => task.kind)).toContain('post-expired');
      const muchLater = at('2026-12-10T10:00+07:00');
      const old = await buildDashboard(ctx.store, consoleOffice(loadSample(muchLater)), { now: muchLater, attentionDays: 7 });
      expect(old.needsStaff.map((task) => task.kind)).not.toContain('post-expired');
      // Unclear outcomes stay until reconciled, however old.
      expect(old.needsStaff.map((task) => task.kind)).toContain('post-unknown');
    });

    test('X cost this month: the published post with a link, the planned ones at the plain price', async () => {
      const office = consoleOffice(loadSample(NOW));
      const view = await buildDashboard(ctx.store, office, { now: NOW });
      // The captions looked at are kept per template set and post revision: the next view counts the same.
      expect((await buildDashboard(ctx.store, office, { now: NOW })).xCost).toEqual(view.xCost);
      expect(view.xCost).toMatchObject({ month: '2026-11', monthLabel: 'November 2026', postsWithUrl: 1, perPost: 0.015, perPostWithUrl: 0.2 });
      const x = view.xCost!.channels[0]!;
      expect(x).toMatchObject({ channelId: 'x', dryRun: true, spent: { posts: 1, postsWithUrl: 1, usd: 0.2 }, unchecked: 0 });
      // Still to go in November on X: the opening today and the weekly digest on Sunday (captions rendered from the templates: no link).
      expect(x.planned).toEqual({ posts: 2, postsWithUrl: 0, usd: 0.03 });
      expect(view.xCost!.totalUsd).toBe(0.23);
      expect(view.needsStaff.find((task) => task.kind === 'x-link-cost')!.title).toBe('1 unggahan X bulan ini berisi tautan (US$0.20 per unggahan, bukan US$0.015)');
      // Without templates the unrendered captions cannot be looked at: counted plain, and said so.
      const { templates: _templates, ...withoutTemplates } = consoleOffice(loadSample(NOW));
      const rough = await buildDashboard(ctx.store, withoutTemplates, { now: NOW });
      expect(rough.xCost!.channels[0]!.unchecked).toBe(2);
    });

    test('the view model is plain data: JSON keeps it whole', async () => {
      const view = await buildDashboard(ctx.store, consoleOffice(loadSample(NOW)), { now: NOW });
      expect(JSON.parse(JSON.stringify(view))).toEqual(view);
      expect(view.counts.published).toBe(1);
    });
  });

  describe('other offices and states', () => {
    const ctx = useTestStore(dialect);

    test('config problems: the rejected edit with FILE:LINE:COL, and the running revision\'s warnings', async () => {
      const files = { 'herald.yaml': 'office: {}\n', 'calendar.yaml': 'releases: []\n' };
      const good = await createRevision(ctx.store, { officeId: SAMPLE, parentId: null, author: 'files', message: 'start', files, problems: [{ severity: 'warning', message: 'the weekly opening of 2026-12-25T07:00:00.000Z falls on a closed day', location: { file: 'calendar.yaml', line: 12, col: 9 } }] }, PLAN_AT);
      const bad = await createRevision(
        ctx.store,
        { officeId: SAMPLE, parentId: good.revision.id, author: 'ani', message: 'kuota', files: { ...files, 'calendar.yaml': 'recurring: [{quotaa: 1}]\n' }, problems: [{ severity: 'error', message: 'unknown key "quotaa": did you mean "quota"?', location: { file: 'calendar.yaml', line: 3, col: 7 } }] },
        at('2026-11-27T09:15+07:00'),
      );
      expect(bad.current).toBe(false);
      const view = await buildDashboard(ctx.store, consoleOffice(loadSample(NOW)), { now: NOW });
      const rejected = view.needsStaff.find((task) => task.kind === 'config-rejected')!;
      expect(rejected).toMatchObject({ severity: 'error', revisionId: bad.revision.id, details: ['calendar.yaml:3:7: unknown key "quotaa": did you mean "quota"?'] });
      expect(rejected.title).toBe(`Perubahan konfigurasi ditolak (revisi ${bad.revision.id} oleh ani, Jum 27 Nov 09.15 WIB)`);
      expect(rejected.action).toContain(`(${good.revision.id}) tetap berjalan`);
      const warning = view.needsStaff.find((task) => task.kind === 'config-warning')!;
      expect(warning.details).toEqual(['calendar.yaml:12:9: warning: the weekly opening of Jum 25 Des 14.00 WIB falls on a closed day']);

      // Fixed by a newer valid revision: the rejected edit is history.
      await createRevision(ctx.store, { officeId: SAMPLE, parentId: good.revision.id, author: 'ani', message: 'kuota', files: { ...files, 'calendar.yaml': 'recurring: []\n' }, problems: [] }, NOW);
      const fixed = await buildDashboard(ctx.store, consoleOffice(loadSample(NOW)), { now: NOW });
      expect(fixed.needsStaff.map((task) => task.kind)).not.toContain('config-rejected');
      expect(fixed.needsStaff.map((task) => task.kind)).not.toContain('config-warning');
    });

    test('tokens expiring soon and the account check\'s problems', async () => {
      await insertChannelToken(ctx.store, 'instagram', { tokenSealed: null, source: 'env', envFingerprint: 'f'.repeat(64), obtainedAt: at('2026-10-01T00:00Z'), expiresAt: at('2026-11-30T10:00+07:00') }, { owner: 'bot-1', now: PLAN_AT });
      const report: StoredAccountReport = { channelId: 'x', account: '@imigrasiptk', details: [], tokenExpiresAt: null, problems: ["warning: the account's 100 posts per 24 h are used up until 2026-11-27T08:00:00.000Z"], checkedAt: '2026-11-27T05:17:00.000Z' };
      await setRuntimeStatus(ctx.store, ACCOUNTS_STATUS_KEY, [report, { ...report, channelId: 'kanim-other/x' }]);
      const view = await buildDashboard(ctx.store, consoleOffice(loadSample(NOW)), { now: NOW });
      const token = view.needsStaff.find((task) => task.kind === 'token-expiring')!;
      expect(token.title).toBe('Token akun instagram kedaluwarsa dalam 3 hari (Sen 30 Nov 10.00 WIB)');
      expect(token.action).toContain('IG_ACCESS_TOKEN');
      const accounts = view.needsStaff.filter((task) => task.kind === 'account-problem');
      // Only this office's channels.
      expect(accounts).toHaveLength(1);
      expect(accounts[0]!.details).toEqual(["warning: the account's 100 posts per 24 h are used up until Jum 27 Nov 15.00 WIB"]);

      const afterExpiry = at('2026-11-30T11:00+07:00');
      const expired = await buildDashboard(ctx.store, consoleOffice(loadSample(afterExpiry)), { now: afterExpiry });
      expect(expired.needsStaff[0]).toMatchObject({ kind: 'token-expired', severity: 'error' });
    });

    test('daily caps: Jayapura\'s X channel (cap 1) gets two posts within 24 hours around a midnight opening (WIT)', async () => {
      const planAt = at('2026-12-14T12:00+09:00');
      const loaded = loadJayapura(planAt);
      await planInto(ctx.store, loaded, planAt);
      await publish(ctx.store, await postOf(ctx.store, 'kanim-jayapura', 'h-1', 'tengah-malam', 'x-papua'), { remoteId: '1867000000000000009', url: null });
      await publish(ctx.store, await postOf(ctx.store, 'kanim-jayapura', 'h-1', 'tengah-malam', 'ig'), { remoteId: 'outbox:h1', url: null });
      const now = at('2026-12-14T20:00+09:00');
      const view = await buildDashboard(ctx.store, consoleOffice(loadJayapura(now)), { now });
      expect(view.officeName).toBe(JAYAPURA_NAME);
      expect(view.next[0]).toMatchObject({ ruleId: 'opening', releaseId: 'tengah-malam', countdownMs: 4 * 3_600_000, dueAt: { text: 'Sel 15 Des 00.00 WIT' } });
      const cap = view.dailyCaps.find((each) => each.label === 'x-papua')!;
      expect(cap).toMatchObject({ channelId: 'x-papua', cap: 1, busiest: 2, level: 'over', from: { text: 'Sen 14 Des 19.00 WIT' } });
      expect(view.dailyCaps.find((each) => each.label === 'ig')).toMatchObject({ cap: 50, level: 'ok' });
      expect(view.needsStaff.find((task) => task.kind === 'daily-cap-over')!.title).toBe('2 unggahan ke x-papua dalam 24 jam mulai Sen 14 Des 19.00 WIT, lebih dari batas harian 1');
      // An outbox post has no live page, even on the X platform.
      expect(view.recent.find((post) => post.label === 'x-papua')).toMatchObject({ link: null, dryRun: true, remoteId: '1867000000000000009' });
      expect(view.xCost).toMatchObject({ month: '2026-12', monthLabel: 'Desember 2026' });
    });
  });
});
