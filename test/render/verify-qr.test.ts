/**
 * The QR code on the cards, read back the way the public reads it: decoded
 * from the rendered PNG and JPEG, and from a "phone photo" of the card, by an
 * independent decoder (jsQR), never by the library that drew it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import { loadAll } from '../../src/app/load-all';
import { planAll } from '../../src/app/plan-all';
import type { PlannedPost } from '../../src/plan/types';
import { renderCardPages } from '../../src/render/card';
import { measureLines } from '../../src/render/card-geometry';
import { getFontSet, loadSharp } from '../../src/render/fonts';
import { renderPost } from '../../src/render/render-post';
import { inspectSvg } from '../../src/render/svg-inspect';
import { loadTemplates, type TemplateSet } from '../../src/render/templates';
import { formatVerifyCode, verifyCode, verifyUrl } from '../../src/render/verify-code';
import { drawQr, QR_MAX_BYTES, QR_MAX_VERSION, qrBoxSize, worstCaseQrVersion } from '../../src/render/verify-qr';
import { syncPlan } from '../../src/store/sync-plan';
import { REPO_ROOT } from '../support/cli';
import { DIALECTS, useTestStore } from '../support/databases';
import { samplePosts } from './samples';
import { SAMPLE_PUBLIC_BASE_URL, SAMPLE_TEMPLATES, SAMPLE_USES } from './template-dir';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** What jsQR reads in an image (any format sharp opens), or null. */
async function decodeQr(image: Buffer): Promise<string | null> {
  const { data, info } = await loadSharp()(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height)?.data ?? null;
}

/** The card as a phone photographs it off a screen: ~600 px wide, soft, turned 3°, saved as a poor JPEG. */
async function phonePhoto(image: Buffer): Promise<Buffer> {
  const sharp = loadSharp();
  const soft = await sharp(image).resize({ width: 600 }).blur(1).toBuffer();
  const photo = await sharp(soft).rotate(3, { background: '#7F7F7F' }).jpeg({ quality: 50 }).toBuffer();
  const meta = await sharp(photo).metadata();
  expect(meta.width).toBeGreaterThan(600); // turned: a little wider than the 600 px it was scaled to
  expect(meta.width).toBeLessThan(680);
  return photo;
}

/** Each line of text on the card as drawn (runs joined, spaces as SVG collapses them). */
const texts = (svg: string): string[] => measureLines(inspectSvg(svg).painted, getFontSet()).map((line) => line.text);

function sampleTemplates(publicBaseUrl: string | null): TemplateSet {
  const { templates, problems } = loadTemplates(SAMPLE_TEMPLATES, SAMPLE_USES, { publicBaseUrl });
  expect(problems).toEqual([]);
  return templates!;
}

describe('render/verify-qr: drawing', () => {
  it('draws whole modules with a quiet zone of 4 and sizes the box from the version', () => {
    const drawing = drawQr(verifyUrl(SAMPLE_PUBLIC_BASE_URL, 'K7M2Q9XD'));
    expect(drawing.version).toBe(4); // 48 bytes: over the 42 of version 3-M
    expect(drawing.modules).toBe(33 + 8);
    expect(qrBoxSize(drawing.version)).toBe(205);
    // Nothing is drawn in the quiet zone: every run starts at module 4 or later and ends by modules − 4.
    for (const [, x, y, w] of drawing.path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
      expect(Number(x)).toBeGreaterThanOrEqual(4);
      expect(Number(y)).toBeGreaterThanOrEqual(4);
      expect(Number(x) + Number(w)).toBeLessThanOrEqual(drawing.modules - 4);
      expect(Number(y)).toBeLessThan(drawing.modules - 4);
    }
  });

  it('keeps every address of up to QR_MAX_BYTES within QR_MAX_VERSION, whatever the code', () => {
    const base = (length: number): string => `https://${'k'.repeat(length - 'https://'.length)}`;
    const longest = base(QR_MAX_BYTES - '/v/'.length - 8);
    expect(longest).toHaveLength(51);
    for (const code of ['00000000', 'ZZZZZZZZ', 'K7M2Q9XD']) expect(drawQr(verifyUrl(longest, code)).version).toBeLessThanOrEqual(QR_MAX_VERSION);
    expect(worstCaseQrVersion(verifyUrl(longest, 'ZZZZZZZZ'))).toBe(QR_MAX_VERSION);
    expect(worstCaseQrVersion(verifyUrl(`${longest}k`, 'ZZZZZZZZ'))).toBe(QR_MAX_VERSION + 1);
  });
});

describe('render/verify-qr: read back', () => {
  const out = tempDir('qh-verify-qr-');
  const templates = sampleTemplates(SAMPLE_PUBLIC_BASE_URL);

  it.each([
    ['PNG', 'x', 'image/png'],
    ['JPEG', 'instagram', 'image/jpeg'],
  ] as const)('the rendered %s holds exactly the verify URL, and the card prints its code and address', async (_format, channelId, mime) => {
    const post = samplePosts(channelId)['h-1']!;
    const rendered = await renderPost(templates, post, { channelId, mime }, { rootDir: out, relDir: `h-1/${channelId}` });
    const image = fs.readFileSync(path.join(out, rendered.media[0]!.file));
    const code = verifyCode(post);
    expect(await decodeQr(image)).toBe(`${SAMPLE_PUBLIC_BASE_URL}/v/${code}`);
    const printed = texts(renderCardPages(templates, post)[0]!.svg);
    expect(printed).toContain(`Kode cek: ${formatVerifyCode(code)}`);
    expect(printed).toContain('cek di kuota.pontianak.example.go.id');
  });

  it.each(Object.keys(samplePosts('x')))('a phone photo of the %s card (600 px, blurred, JPEG 50, turned 3°) still decodes', async (name) => {
    const post = samplePosts('instagram')[name]!;
    const rendered = await renderPost(templates, post, { channelId: 'instagram', mime: 'image/jpeg' }, { rootDir: out, relDir: `photo/${name}` });
    const card = fs.readFileSync(path.join(out, rendered.media[0]!.file));
    expect(await decodeQr(await phonePhoto(card))).toBe(verifyUrl(SAMPLE_PUBLIC_BASE_URL, verifyCode(post)));
  });

  it('a phone photo decodes at the longest address allowed (51 characters, version 4) and at a short one (version 3)', async () => {
    for (const base of ['https://kuota-antrean-paspor.kanim-singkawang.go.id', 'https://kuota.imigrasi.go.id']) {
      const post = samplePosts('x')['opening']!;
      const rendered = await renderPost(sampleTemplates(base), post, { channelId: 'x', mime: 'image/png' }, { rootDir: out, relDir: `long/${base.length}` });
      const card = fs.readFileSync(path.join(out, rendered.media[0]!.file));
      expect(drawQr(verifyUrl(base, verifyCode(post))).version).toBe(base.length > 40 ? 4 : 3);
      expect(await decodeQr(await phonePhoto(card))).toBe(verifyUrl(base, verifyCode(post)));
    }
  });

  it('without publicBaseUrl the card prints its code only: no QR code, no address', async () => {
    const post = samplePosts('x')['h-1']!;
    const svg = renderCardPages(sampleTemplates(null), post)[0]!.svg;
    expect(texts(svg)).toContain(`Kode cek: ${formatVerifyCode(verifyCode(post))}`);
    expect(svg).not.toContain('cek di');
    expect(inspectSvg(svg).painted.some((item) => item.type === 'box' && item.role === 'verify-qr')).toBe(false);
    const rendered = await renderPost(sampleTemplates(null), post, { channelId: 'x', mime: 'image/png' }, { rootDir: out, relDir: 'no-base' });
    expect(await decodeQr(fs.readFileSync(path.join(out, rendered.media[0]!.file)))).toBeNull();
  });
});

describe('render/verify-qr: one code per announcement, whatever the channel', () => {
  /** The sample config, planned by the real planner; `edit` changes calendar.yaml first. */
  function plannedSample(edit: (calendar: string) => string = (c) => c): { posts: PlannedPost[]; templates: TemplateSet } {
    const dir = tempDir('qh-verify-sample-');
    fs.cpSync(path.join(REPO_ROOT, 'config'), dir, { recursive: true });
    const calendar = path.join(dir, 'calendar.yaml');
    fs.writeFileSync(calendar, edit(fs.readFileSync(calendar, 'utf8')));
    const now = new Date('2026-12-20T00:00:00Z');
    const { loaded, problems } = loadAll(dir, { now });
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    return { posts: planAll(loaded!.config, { from: now, to: new Date('2027-01-10T00:00:00Z') }, now).posts, templates: loaded!.templates };
  }
  const h1 = (posts: PlannedPost[], channelId: string): PlannedPost =>
    posts.find((p) => p.ruleId === 'h-1' && p.subject === 'pengganti-tahun-baru' && p.channelId === channelId)!;

  it('the X and the Instagram post show the same code and QR code; another count gives another code', async () => {
    const out = tempDir('qh-verify-channels-');
    const { posts, templates } = plannedSample();
    const [x, instagram] = [h1(posts, 'x'), h1(posts, 'instagram')];
    expect(x.id).not.toBe(instagram.id);
    const drawn = new Map();
    const read = async (post: PlannedPost, mime: 'image/png' | 'image/jpeg'): Promise<{ printed: string[]; decoded: string | null }> => {
      const rendered = await renderPost(templates, post, { channelId: post.channelId, mime }, { rootDir: out, relDir: post.id }, undefined, drawn);
      return { printed: texts(renderCardPages(templates, post)[0]!.svg), decoded: await decodeQr(fs.readFileSync(path.join(out, rendered.media[0]!.file))) };
    };
    const onX = await read(x, 'image/png');
    const onInstagram = await read(instagram, 'image/jpeg');
    expect(onX.decoded).toBe(verifyUrl(SAMPLE_PUBLIC_BASE_URL, verifyCode(x)));
    expect(onInstagram.decoded).toBe(onX.decoded);
    const codeLine = (printed: string[]): string | undefined => printed.find((t) => t.startsWith('Kode cek: '));
    expect(codeLine(onInstagram.printed)).toBe(codeLine(onX.printed));
    expect(codeLine(onX.printed)).toBe(`Kode cek: ${formatVerifyCode(verifyCode(x))}`);
    // Both channels drew one card.
    expect(drawn.size).toBe(1);

    const changed = plannedSample((calendar) => {
      const edited = calendar.replace('{ date: 2027-01-04, quota: { regular: 120, express: 20 } }', '{ date: 2027-01-04, quota: { regular: 100, express: 20 } }');
      expect(edited).not.toBe(calendar);
      return edited;
    });
    const xAfter = h1(changed.posts, 'x');
    expect(xAfter.id).toBe(x.id); // the same post, showing other facts
    expect(verifyCode(xAfter)).not.toBe(verifyCode(x));
    expect(verifyCode(h1(changed.posts, 'instagram'))).toBe(verifyCode(xAfter));
    const afterOut = await read(xAfter, 'image/png');
    expect(afterOut.decoded).toBe(verifyUrl(SAMPLE_PUBLIC_BASE_URL, verifyCode(xAfter)));
    expect(codeLine(afterOut.printed)).toBe(`Kode cek: ${formatVerifyCode(verifyCode(xAfter))}`);
  });
});

/**
 * The sample planned as the bot plans it, and what each card's QR code of one announcement holds:
 * the same on either engine, so drawn and decoded once; each engine then stores the plan.
 */
let ledgerSample: Promise<{ posts: PlannedPost[]; range: { from: Date; to: Date }; now: Date; decoded: Map<string, string | null> }> | undefined;
function sampleForLedger(): NonNullable<typeof ledgerSample> {
  ledgerSample ??= (async () => {
    const dir = tempDir('qh-verify-ledger-');
    fs.cpSync(path.join(REPO_ROOT, 'config'), path.join(dir, 'config'), { recursive: true });
    const now = new Date('2026-12-20T00:00:00Z');
    const { loaded } = loadAll(path.join(dir, 'config'), { now });
    const range = { from: now, to: new Date('2027-01-10T00:00:00Z') };
    const { posts } = planAll(loaded!.config, range, now);
    const decoded = new Map<string, string | null>();
    for (const post of posts.filter((p) => p.ruleId === 'h-1' && p.subject === 'pengganti-tahun-baru')) {
      const mime = post.channelId === 'x' ? 'image/png' : 'image/jpeg';
      const rendered = await renderPost(loaded!.templates, post, { channelId: post.channelId, mime }, { rootDir: dir, relDir: `ledger/${post.id}` });
      decoded.set(post.id, await decodeQr(fs.readFileSync(path.join(dir, rendered.media[0]!.file))));
    }
    return { posts, range, now, decoded };
  })();
  return ledgerSample;
}

describe.each(DIALECTS)('render/verify-qr: the QR code holds the code the ledger keeps (%s)', (dialect) => {
  const ctx = useTestStore(dialect);

  it('both channel posts of an announcement, stored as the bot plans them, carry the code their card\'s QR code holds', async () => {
    const { posts, range, now, decoded } = await sampleForLedger();
    await syncPlan(ctx.store, posts, range, now);
    const pair = posts.filter((p) => p.ruleId === 'h-1' && p.subject === 'pengganti-tahun-baru');
    expect(pair.map((p) => p.channelId).sort()).toEqual(['instagram', 'x']);
    for (const post of pair) {
      const row = await ctx.store.db.selectFrom('posts').select('verify_code').where('id', '=', post.id).executeTakeFirstOrThrow();
      expect(decoded.get(post.id)).toBe(`${SAMPLE_PUBLIC_BASE_URL}/v/${row.verify_code}`);
    }
  }, 60_000);
});
