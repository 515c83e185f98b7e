/**
 * The public record from the ledger: published posts grouped into
 * announcements by their card's verification code, on SQLite and PostgreSQL.
 * Posts are put in the ledger the way the bot does (plan, render, claim, publish).
 */
import { announcementsVersion, describeChanges, findAnnouncementsByCode, listAnnouncements, readPublicCard } from '../../src/public/announcements';
import { verifyCode } from '../../src/render/verify-code';
import { syncPlan } from '../../src/store/sync-plan';
import { publishPosts } from '../support/public-fixture';
import { DIALECTS, useTestStore } from '../support/databases';
import { at, buildFacts, buildPost, plusMinutes } from '../store/post-builder';

const DUE = at('2026-12-04T13:00:00+07:00');

/** One announcement (rule h-60 about `release`) on Instagram and X: the same subject, rule and content. */
function onBothChannels(n: number, release: string, dueAt: Date, regular = 120) {
  const shared = { releaseId: release, subject: release, ruleId: 'h-60', dueAt, deadline: plusMinutes(dueAt, 60), fingerprint: `fp-${release}-${regular}`, facts: buildFacts(release, regular) };
  return [buildPost({ ...shared, n, id: `ig-${n}`, channelId: 'instagram' }), buildPost({ ...shared, n, id: `x-${n}`, channelId: 'x' })];
}

describe.each(DIALECTS)('public announcements on %s', (dialect) => {
  const ctx = useTestStore(dialect);

  it('groups every channel’s post of one announcement under its card’s code, with each exact text, link and the JPEG card', async () => {
    const posts = onBothChannels(1, 'rel-a', DUE);
    await publishPosts(ctx.store, posts, { text: (post) => `Teks untuk ${post.channelId}`, cards: 2, publishedAt: (post) => plusMinutes(post.dueAt, post.channelId === 'x' ? 1 : 0) });
    const [announcement, ...rest] = await listAnnouncements(ctx.store, 'kanim-pontianak');
    expect(rest).toEqual([]);
    const code = verifyCode(posts[0]!);
    expect(verifyCode(posts[1]!)).toBe(code);
    expect(announcement).toMatchObject({ code, codeLabel: `${code.slice(0, 4)}-${code.slice(4)}`, kind: 'announcement', subject: 'rel-a', releaseId: 'rel-a', publishedAt: DUE, updatedAt: plusMinutes(DUE, 1), changes: [], correctedBy: [] });
    expect(announcement!.channels).toEqual([
      { channelId: 'instagram', platform: 'instagram', publishedAt: DUE, remoteUrl: 'https://www.instagram.com/p/ig-1/', text: 'Teks untuk instagram' },
      { channelId: 'x', platform: 'x', publishedAt: plusMinutes(DUE, 1), remoteUrl: 'https://x.com/kanim/status/x-1', text: 'Teks untuk x' },
    ]);
    expect(announcement!.cards.map((card) => [card.index, card.alt])).toEqual([[1, 'Kartu 1: kuota rel-a'], [2, 'Kartu 2: kuota rel-a']]);
    const card = await readPublicCard(ctx.store, code, 2);
    expect(card?.mime).toBe('image/jpeg');
    expect(card?.sha256).toBe(announcement!.cards[1]!.sha256);
    expect(await readPublicCard(ctx.store, code, 3)).toBeNull();
    expect(await findAnnouncementsByCode(ctx.store, code)).toEqual([announcement]);
    expect(await findAnnouncementsByCode(ctx.store, code, 'kanim-lain')).toEqual([]);
  });

  it('a card that is planned or rendered but not published is not public: its code finds nothing', async () => {
    const [planned] = onBothChannels(2, 'rel-b', plusMinutes(DUE, 60 * 24));
    await syncPlan(ctx.store, [planned!], { from: DUE, to: plusMinutes(DUE, 60 * 48) }, DUE);
    const row = await ctx.store.db.selectFrom('posts').select('verify_code').where('id', '=', planned!.id).executeTakeFirstOrThrow();
    expect(row.verify_code).toBe(verifyCode(planned!));
    expect(await findAnnouncementsByCode(ctx.store, row.verify_code!)).toEqual([]);
    expect(await readPublicCard(ctx.store, row.verify_code!, 1)).toBeNull();
    expect(await listAnnouncements(ctx.store, 'kanim-pontianak')).toEqual([]);
  });

  it('a dry run (the outbox) never reached the public: left out unless asked for', async () => {
    await publishPosts(ctx.store, [buildPost({ n: 3, id: 'outbox-3', channelId: 'outbox', dueAt: DUE, deadline: plusMinutes(DUE, 60) })]);
    expect(await listAnnouncements(ctx.store, 'kanim-pontianak')).toEqual([]);
    expect(await listAnnouncements(ctx.store, 'kanim-pontianak', { includeDryRun: true })).toHaveLength(1);
    expect(await announcementsVersion(ctx.store, 'kanim-pontianak')).toEqual({ count: 0, lastChange: null });
  });

  it('pages newest first by announcement (not by channel post), with a date range and a cursor', async () => {
    const days = [0, 1, 2, 3, 4];
    await publishPosts(ctx.store, days.flatMap((d) => onBothChannels(10 + d, `rel-${d}`, plusMinutes(DUE, d * 24 * 60))));
    const all = await listAnnouncements(ctx.store, 'kanim-pontianak');
    expect(all.map((a) => a.subject)).toEqual(['rel-4', 'rel-3', 'rel-2', 'rel-1', 'rel-0']);
    const first = await listAnnouncements(ctx.store, 'kanim-pontianak', { limit: 2 });
    expect(first.map((a) => a.subject)).toEqual(['rel-4', 'rel-3']);
    expect(first.every((a) => a.channels.length === 2)).toBe(true);
    const next = await listAnnouncements(ctx.store, 'kanim-pontianak', { limit: 2, before: first[1]!.publishedAt });
    expect(next.map((a) => a.subject)).toEqual(['rel-2', 'rel-1']);
    const range = await listAnnouncements(ctx.store, 'kanim-pontianak', { from: plusMinutes(DUE, 24 * 60), to: plusMinutes(DUE, 3 * 24 * 60) });
    expect(range.map((a) => a.subject)).toEqual(['rel-2', 'rel-1']);
    expect(await announcementsVersion(ctx.store, 'kanim-pontianak')).toEqual({ count: 10, lastChange: plusMinutes(DUE, 4 * 24 * 60) });
  });

  it('a correction says what changed and the announcement it corrects links to it', async () => {
    await publishPosts(ctx.store, onBothChannels(20, 'rel-c', DUE, 120));
    const corrected = buildFacts('rel-c', 150);
    const correction = buildPost({
      n: 21,
      id: 'x-correction',
      channelId: 'x',
      kind: 'correction',
      ruleId: 'correction',
      releaseId: 'rel-c',
      subject: 'rel-c',
      dueAt: plusMinutes(DUE, 30),
      deadline: plusMinutes(DUE, 90),
      fingerprint: 'fp-correction',
      facts: { ...corrected, previous: buildFacts('rel-c', 120).release! },
    });
    await publishPosts(ctx.store, [correction]);
    const [latest, original] = await listAnnouncements(ctx.store, 'kanim-pontianak');
    expect(latest).toMatchObject({ kind: 'correction', code: verifyCode(correction), changes: [{ label: 'Kuota Paspor reguler, 30 Nov 2026', before: '120', after: '150' }] });
    expect(original!.correctedBy).toEqual([verifyCode(correction)]);
  });
});

describe('what a correction changed, in words', () => {
  it('names a cancellation, a moved opening and days dropped or added', () => {
    const before = buildFacts('rel-d', 120).release!;
    const facts = { ...buildFacts('rel-d', 120), previous: before };
    facts.release = { ...before, status: 'cancelled', cancelReason: 'Gangguan sistem', opensAt: '2026-11-27T08:00:00.000Z', days: [{ date: '2026-12-01', quota: { regular: 100 } }] };
    expect(describeChanges(facts)).toEqual([
      { label: 'Status', before: 'dibuka', after: 'dibatalkan (Gangguan sistem)' },
      { label: 'Waktu pembukaan', before: 'Jumat, 27 November 2026 pukul 14.00 WIB', after: 'Jumat, 27 November 2026 pukul 15.00 WIB' },
      { label: 'Kuota Paspor reguler, 30 Nov 2026', before: '120', after: null },
      { label: 'Kuota Paspor reguler, 1 Des 2026', before: null, after: '100' },
    ]);
  });
});
