/**
 * The console's post preview (src/console/preview.ts) with real stores,
 * templates, renderer and fonts: the sample office from its current revision,
 * and an office unlike it whose X caption is too long.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkRevisionFiles, readOfficeFiles } from '../../src/app/revision-files';
import { countXWeighted, countCodePoints } from '../../src/channels/text-length';
import { currentOfficeSource, previewOfficePosts, readPreviewCard } from '../../src/console/preview';
import { sha256Hex } from '../../src/render/card-hash';
import { createRevision } from '../../src/store/config-revisions';
import { REPO_ROOT } from '../support/cli';
import { DIALECTS, useTestStore } from '../support/databases';
import { LONG_NAME, UNLIKE_ID, writeUnlikeDeployment } from './unlike-office';

const CONFIG = path.join(REPO_ROOT, 'config');
const DAY = 86_400_000;
const dirs: string[] = [];
const tempDir = (prefix: string): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describe.each(DIALECTS)('console/preview (%s)', (dialect) => {
  const db = useTestStore(dialect);

  it('the sample office from its current revision: every post per network with its counted caption, cards in order with alt text, and no problems', async () => {
    // Wednesday 2 December 2026, 10.00 WIB: the week holds Friday's opening and Sunday's schedule post.
    const now = new Date('2026-12-02T03:00:00Z');
    const files = readOfficeFiles(CONFIG, { now })[0]!.files;
    const problems = checkRevisionFiles(files, { sourceDir: CONFIG, now }).problems;
    await createRevision(db.store, { officeId: 'kanim-pontianak', parentId: null, author: 'ani', message: 'sample', files, problems }, now);
    const source = await currentOfficeSource(db.store, 'kanim-pontianak', { sourceDir: CONFIG });
    expect(source?.revisionId).toBe(1);
    const mediaDir = tempDir('herald-console-preview-');

    const preview = await previewOfficePosts(source!, { from: now, to: new Date(now.getTime() + 7 * DAY), now, mediaDir });
    expect(preview).toMatchObject({ officeId: 'kanim-pontianak', officeName: 'Kantor Imigrasi Kelas I TPI Pontianak', zone: 'Asia/Pontianak', loadProblems: [] });
    const rules = new Set(preview.posts.map((p) => p.ruleId));
    expect([...rules].sort()).toEqual(['h-1', 'h-60m', 'opening', 'weekly']);
    expect(preview.posts.map((p) => p.dueAt.getTime())).toEqual(preview.posts.map((p) => p.dueAt.getTime()).sort((a, b) => a - b));

    for (const post of preview.posts) {
      expect(post.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(post.caption).not.toBeNull();
      const caption = post.caption!;
      if (post.platform === 'x') {
        expect(caption).toMatchObject({ unit: 'weighted', limit: 280, over: false, length: countXWeighted(caption.text) });
        // The sample's X captions carry emoji: weighted is more than the characters.
        expect(caption.length).toBeGreaterThan(countCodePoints(caption.text));
      } else {
        expect(caption).toMatchObject({ unit: 'characters', limit: 2200, over: false, length: countCodePoints(caption.text) });
      }
      expect(post.cards.length).toBeGreaterThan(0);
      expect(post.cards.map((c) => c.position)).toEqual(post.cards.map((_, i) => i + 1));
      for (const card of post.cards) {
        expect(card.mime).toBe(post.platform === 'x' ? 'image/png' : 'image/jpeg');
        expect(card.alt.length).toBeGreaterThan(20);
        expect(card.altLength).toBe(countCodePoints(card.alt));
        const read = await readPreviewCard(mediaDir, card);
        expect(read.bytes.length).toBe(card.bytes);
        expect(sha256Hex(read.bytes)).toBe(card.sha256);
      }
    }
    // The weekly schedule is two cards: a carousel on Instagram, in page order (the alt text of page 2 says it continues).
    const weekly = preview.posts.find((p) => p.ruleId === 'weekly' && p.platform === 'instagram')!;
    expect(weekly.cards.map((c) => path.basename(c.file))).toEqual(['card.jpg', 'card-2.jpg']);
    expect(weekly.carousel).toBe(true);
    expect(preview.posts.find((p) => p.ruleId === 'weekly' && p.platform === 'x')!.carousel).toBe(false);
  }, 120_000);

  it('an office unlike the sample (long name, five services, monthly, WIT): its X caption over 280 weighted characters is flagged by the real check', async () => {
    const dir = writeUnlikeDeployment();
    dirs.push(dir);
    const now = new Date('2026-12-14T00:00:00Z');
    const files = readOfficeFiles(dir, { now, only: [UNLIKE_ID] })[0]!.files;
    const problems = checkRevisionFiles(files, { sourceDir: dir, now, officeId: UNLIKE_ID }).problems;
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    await createRevision(db.store, { officeId: UNLIKE_ID, parentId: null, author: 'files', message: 'start', files, problems }, now);
    const source = (await currentOfficeSource(db.store, UNLIKE_ID, { sourceDir: dir }))!;

    const preview = await previewOfficePosts(source, { from: now, to: new Date(now.getTime() + 7 * DAY), now, mediaDir: tempDir('herald-console-preview-') });
    expect(preview).toMatchObject({ officeName: LONG_NAME, zone: 'Asia/Jayapura' });
    const xH1 = preview.posts.find((p) => p.ruleId === 'h-1' && p.platform === 'x')!;
    expect(xH1.subject).toBe('bulanan@2026-12-18');
    // 19.00 WIT the evening before the opening.
    expect(xH1.dueAt.toISOString()).toBe('2026-12-17T10:00:00.000Z');
    expect(xH1.caption).toMatchObject({ unit: 'weighted', limit: 280, over: true });
    expect(xH1.caption!.length).toBe(countXWeighted(xH1.caption!.text));
    expect(xH1.problems).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringContaining(`caption is ${xH1.caption!.length} characters (weighted as X counts them), over the limit of 280`) }),
    ]);
    // Instagram's h-1 (the shipped caption) fits, with every service in it.
    const igH1 = preview.posts.find((p) => p.ruleId === 'h-1' && p.platform === 'instagram')!;
    expect(igH1.caption!.over).toBe(false);
    expect(igH1.problems).toEqual([]);
    for (const service of ['Reguler', 'Elektronik', 'Percepatan', 'Lansia', 'Umroh']) expect(igH1.caption!.text).toContain(service);
    expect(igH1.caption!.text).toContain('10.00 WIT');
  }, 120_000);

  it('files that do not load: their problems, and nothing planned', async () => {
    const now = new Date('2026-12-02T03:00:00Z');
    const files = readOfficeFiles(CONFIG, { now })[0]!.files;
    const broken = { ...files, 'herald.yaml': files['herald.yaml']!.replace('timezone: Asia/Pontianak', 'timezone: Asia/Pontianakk') };
    const preview = await previewOfficePosts({ officeId: 'kanim-pontianak', files: broken, sourceDir: CONFIG }, { from: now, to: new Date(now.getTime() + DAY), now, mediaDir: tempDir('herald-console-preview-') });
    expect(preview.posts).toEqual([]);
    expect(preview.loadProblems).toContainEqual(expect.objectContaining({ severity: 'error', location: expect.objectContaining({ file: 'herald.yaml' }) }));
  }, 60_000);
});
