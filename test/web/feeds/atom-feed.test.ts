/**
 * `/o/{office}/feed.atom` end to end: posts published the bot's way on both
 * engines, the feed read back by an independent parser, checked against the
 * ledger (public/announcements.ts) and against RFC 4287.
 */
import type { FastifyInstance } from 'fastify';
import { planAll } from '../../../src/app/plan-all';
import { listAnnouncements } from '../../../src/public/announcements';
import type { PlannedPost } from '../../../src/plan/types';
import { verifyCode } from '../../../src/render/verify-code';
import { publishPosts } from '../../support/public-fixture';
import { DIALECTS, useTestStore } from '../../support/databases';
import { parseAtom, textOf } from '../../public/feeds/atom-parse';
import { at, buildFeedServer, EMPTY_OFFICE, loadFiles, NOW, officeFiles, PLANNED_AT, postText, SAMPLE_OFFICE, seedFeedOffices, WIT_OFFICE } from './feeds-fixture';
import { SAMPLE_PUBLIC_BASE_URL } from '../../support/sample-config';

// The sample sets settings.web.publicBaseUrl: links and ids are built from it, not from the request.
const BASE = SAMPLE_PUBLIC_BASE_URL;
const AUTHORITY = new URL(SAMPLE_PUBLIC_BASE_URL).hostname;

/** A correction of the published h-1 post of simpatik-desember on Instagram: 80 → 60 on Saturday 19 December. */
function correctionOf(original: PlannedPost, publishedAt: Date): PlannedPost {
  const release = original.facts.release!;
  return {
    ...original,
    id: `${original.id}-koreksi`,
    kind: 'correction',
    ruleId: 'correction',
    template: 'correction',
    dueAt: publishedAt,
    deadline: new Date(publishedAt.getTime() + 3_600_000),
    fingerprint: `${original.fingerprint}-koreksi`,
    facts: { ...original.facts, release: { ...release, days: release.days.map((day) => ({ ...day, quota: { regular: 60 } })) }, previous: release },
  };
}

describe.each(DIALECTS)('web/feeds feed.atom on %s', (dialect) => {
  const ctx = useTestStore(dialect, { seed: seedFeedOffices });
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function feedOf(officeId: string, headers: Record<string, string> = {}) {
    app ??= await buildFeedServer(ctx.store);
    return app.inject({ method: 'GET', url: `/o/${officeId}/feed.atom`, headers });
  }

  it('has one entry per published announcement, newest first, as the ledger has it: permanent id, exact text, card, live posts', async () => {
    const response = await feedOf(SAMPLE_OFFICE);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(response.headers['cache-control']).toBe('public, max-age=60');
    expect(response.headers['access-control-allow-origin']).toBe('*');
    const feed = parseAtom(response.body);
    const ledger = await listAnnouncements(ctx.store, SAMPLE_OFFICE, { includeDryRun: true });
    expect(ledger.length).toBeGreaterThanOrEqual(3);
    expect(feed.entry.map((entry) => entry.id)).toEqual(ledger.map((announcement) => `tag:${AUTHORITY},2026:${SAMPLE_OFFICE}/${announcement.code}`));
    expect(feed.id).toBe(`tag:${AUTHORITY},2026:${SAMPLE_OFFICE}`);
    expect(feed.updated).toBe(new Date(Math.max(...ledger.map((a) => a.updatedAt.getTime()))).toISOString());
    expect(response.headers['last-modified']).toBe(new Date(feed.updated).toUTCString());
    for (const [i, announcement] of ledger.entries()) {
      const entry = feed.entry[i]!;
      expect(entry.published).toBe(announcement.publishedAt.toISOString());
      expect(entry.updated).toBe(announcement.updatedAt.toISOString());
      expect(entry.content).toEqual({ '@type': 'text', '#text': announcement.channels[0]!.text });
      const links = entry.link.map((link) => [link['@rel'], link['@href']]);
      expect(links).toEqual([
        ['alternate', `${BASE}/o/${SAMPLE_OFFICE}/archive/${announcement.code}`],
        ...announcement.cards.map((card) => ['enclosure', `${BASE}/o/${SAMPLE_OFFICE}/archive/${announcement.code}/card-${card.index}.jpg`]),
        ...announcement.channels.map((channel) => ['related', channel.remoteUrl]),
      ]);
    }
    // The exact text, as the fixture wrote it: markup, an entity, quotes and an emoji come back unchanged.
    const simpatik = ledger.findIndex((announcement) => announcement.subject === 'simpatik-desember');
    expect(textOf(feed.entry[simpatik]!.content)).toBe('KUOTA simpatik-desember — instagram\nGRATIS, waspada calo! <b>&amp;</b> "kutip" 🇮🇩');
    expect(textOf(feed.entry[simpatik]!.title)).toBe('Pengumuman: pembukaan kuota Jumat, 11 Desember 2026 pukul 09.00 WIB');
  });

  it('a correction raises the updated of what it corrects (not its title), comes first, and says what changed', async () => {
    const before = await feedOf(SAMPLE_OFFICE);
    const original = ctx.seeded.published.find((post) => post.subject === 'simpatik-desember' && post.channelId === 'instagram')!;
    const correctedAt = at('2026-12-10T21:15+07:00');
    const correction = correctionOf(original, correctedAt);
    await publishPosts(ctx.store, [correction], { text: postText });

    const again = await feedOf(SAMPLE_OFFICE, { 'if-none-match': String(before.headers.etag) });
    expect(again.statusCode).toBe(200);
    expect(again.headers.etag).not.toBe(before.headers.etag);
    const feed = parseAtom(again.body);
    const [newest] = feed.entry;
    expect(newest!.id).toBe(`tag:${AUTHORITY},2026:${SAMPLE_OFFICE}/${verifyCode(correction)}`);
    expect(textOf(newest!.title)).toBe('Koreksi: pembukaan kuota Jumat, 11 Desember 2026 pukul 09.00 WIB');
    expect(textOf(newest!.summary)).toBe(`Perubahan: Kuota Paspor Reguler, 19 Des 2026: 80 → 60. Kode cek: ${verifyCode(correction).slice(0, 4)}-${verifyCode(correction).slice(4)}.`);
    const corrected = feed.entry.find((entry) => entry.id.endsWith(`/${verifyCode(original)}`))!;
    expect(corrected.updated).toBe(correctedAt.toISOString());
    expect(corrected.published).toBe(original.dueAt.toISOString());
    expect(textOf(corrected.title)).toBe('Pengumuman: pembukaan kuota Jumat, 11 Desember 2026 pukul 09.00 WIB');
    expect(textOf(corrected.summary)).toContain('Pengumuman ini telah dikoreksi');
    expect(feed.updated).toBe(correctedAt.toISOString());
    // The entry the correction is not about keeps its time.
    const other = parseAtom(before.body).entry.find((entry) => !entry.id.endsWith(`/${verifyCode(original)}`))!;
    expect(feed.entry.find((entry) => entry.id === other.id)!.updated).toBe(other.updated);
  });

  it('answers 304 while nothing was published, 200 after', async () => {
    const first = await feedOf(SAMPLE_OFFICE);
    expect((await feedOf(SAMPLE_OFFICE, { 'if-none-match': String(first.headers.etag) })).statusCode).toBe(304);
    expect((await feedOf(SAMPLE_OFFICE, { 'if-modified-since': String(first.headers['last-modified']) })).statusCode).toBe(304);
    const original = ctx.seeded.published.find((post) => post.subject === 'simpatik-desember' && post.channelId === 'x')!;
    await publishPosts(ctx.store, [correctionOf(original, at('2026-12-10T21:00+07:00'))], { text: postText });
    expect((await feedOf(SAMPLE_OFFICE, { 'if-none-match': String(first.headers.etag) })).statusCode).toBe(200);
    expect((await feedOf(SAMPLE_OFFICE, { 'if-modified-since': String(first.headers['last-modified']) })).statusCode).toBe(200);
  });

  it('an office unlike the sample (WIT): titles in WIT, its own entries only', async () => {
    const config = loadFiles(WIT_OFFICE, officeFiles(WIT_OFFICE), PLANNED_AT);
    const posts = planAll(config, { from: PLANNED_AT, to: at('2026-12-14T09:00+09:00') }, PLANNED_AT).posts.filter((post) => post.subject === 'layanan-sabtu');
    expect(posts.length).toBeGreaterThan(0);
    await publishPosts(ctx.store, posts, { text: postText });
    const feed = parseAtom((await feedOf(WIT_OFFICE)).body);
    expect(feed.entry.length).toBeGreaterThan(0);
    for (const entry of feed.entry) {
      expect(entry.id).toMatch(new RegExp(`^tag:quota-herald,2026:${WIT_OFFICE}/[0-9A-Z]{8}$`));
      expect(textOf(entry.title)).toBe('Pengumuman: pembukaan kuota Senin, 14 Desember 2026 pukul 08.00 WIT');
    }
  });

  it('an office with nothing announced gives a valid feed without entries, dated by its config', async () => {
    const response = await feedOf(EMPTY_OFFICE);
    expect(response.statusCode).toBe(200);
    const feed = parseAtom(response.body);
    expect(feed.entry).toEqual([]);
    expect(feed.updated).toBe(PLANNED_AT.toISOString());
    expect(NOW > PLANNED_AT).toBe(true);
    expect((await feedOf('kanim-entah')).statusCode).toBe(404);
  });
});
