import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../src/errors';
import { checkCardSvg, RasterCache, rasterizeCard, renderCardPages, renderCardSvg, withWhiteBackground, type DrawnCardCache } from '../../src/render/card';
import { measureLines } from '../../src/render/card-geometry';
import { getFontSet, loadSharp } from '../../src/render/fonts';
import { inspectSvg } from '../../src/render/svg-inspect';
import { renderPost } from '../../src/render/render-post';
import { loadTemplates } from '../../src/render/templates';
import { aPost, aRelease } from './post-builder';
import { samplePosts } from './samples';
import { minimalFiles, SAMPLE_PUBLIC_BASE_URL, SAMPLE_TEMPLATES, SAMPLE_USES, writeTemplateDir } from './template-dir';

const h1Use = [{ name: 'h-1', kind: 'announcement' as const, channelIds: [] }];

/** Template directories made by this file, removed at the end. */
const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function cardTemplates(card: string) {
  const dir = writeTemplateDir({ ...minimalFiles(), 'cards/h-1.svg.hbs': card });
  tempDirs.push(dir);
  const { templates, problems } = loadTemplates(dir, h1Use);
  expect(problems).toEqual([]);
  return templates!;
}

const svgOpen = '<svg xmlns="http://www.w3.org/2000/svg" width="1080" height="1350">';

/** Pixel statistics of one region (sharp's stats() alone ignores extract()). */
async function regionStats(image: Buffer, region: { left: number; top: number; width: number; height: number }) {
  const sharp = loadSharp();
  return sharp(await sharp(image).extract(region).toBuffer()).stats();
}

describe('render/card', () => {
  const { templates } = loadTemplates(SAMPLE_TEMPLATES, SAMPLE_USES, { publicBaseUrl: SAMPLE_PUBLIC_BASE_URL });
  const outRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'qh-cards-'));
  afterAll(() => fs.rmSync(outRoot, { recursive: true, force: true }));

  it.each(Object.keys(samplePosts('x')))('renders the %s sample card SVG', (name) => {
    const svg = renderCardSvg(templates!, samplePosts('x')[name]!);
    expect(checkCardSvg(svg, name)).toEqual([]);
    expect(svg).toMatchSnapshot();
  });

  it('writes a 1080×1350 PNG for X and a JPEG without alpha for Instagram', async () => {
    const sharp = loadSharp();
    const post = samplePosts('x')['h-1']!;
    const png = await renderPost(templates!, post, { channelId: 'x', mime: 'image/png' }, { rootDir: outRoot, relDir: 'p1/x' });
    const jpg = await renderPost(templates!, post, { channelId: 'instagram', mime: 'image/jpeg' }, { rootDir: outRoot, relDir: 'p1/ig' });
    expect(png.media[0]).toMatchObject({ file: 'p1/x/card.png', mime: 'image/png', width: 1080, height: 1350 });
    expect(jpg.media[0]).toMatchObject({ file: 'p1/ig/card.jpg', mime: 'image/jpeg', width: 1080, height: 1350 });
    const pngMeta = await sharp(path.join(outRoot, 'p1/x/card.png')).metadata();
    const jpgMeta = await sharp(path.join(outRoot, 'p1/ig/card.jpg')).metadata();
    expect([pngMeta.format, pngMeta.width, pngMeta.height]).toEqual(['png', 1080, 1350]);
    expect([jpgMeta.format, jpgMeta.width, jpgMeta.height, jpgMeta.hasAlpha, jpgMeta.space]).toEqual(['jpeg', 1080, 1350, false, 'srgb']);
    expect(png.media[0]!.bytes).toBe(fs.statSync(path.join(outRoot, 'p1/x/card.png')).size);
    expect(png.text).not.toEqual(jpg.text); // X gets its shorter caption
    expect(png.media[0]!.alt).toContain('14.00 WIB');
  });

  it('draws text: the card is not blank where the time is', async () => {
    const svg = renderCardSvg(templates!, samplePosts('x')['h-1']!);
    const { data } = await rasterizeCard(svg, 'image/png');
    // The big white "14.00 WIB" sits around y 340–470 on a navy background.
    const stats = await regionStats(data, { left: 150, top: 340, width: 780, height: 130 });
    const empty = await regionStats(data, { left: 20, top: 340, width: 100, height: 130 });
    expect(empty.channels[0]!.max).toBeLessThan(30);
    expect(stats.channels[0]!.max).toBeGreaterThan(240);
    expect(stats.channels[0]!.min).toBeLessThan(30);
  });

  it('draws a card once for PNG and JPEG (RasterCache) with the same pixels as drawing it twice', async () => {
    const sharp = loadSharp();
    const svg = renderCardSvg(templates!, samplePosts('x')['h-1']!);
    const cache = new RasterCache();
    const [png, jpg] = await Promise.all([cache.rasterize(svg, 'image/png'), cache.rasterize(svg, 'image/jpeg')]);
    const direct = await rasterizeCard(svg, 'image/png');
    const pixels = async (data: Buffer) => sharp(data).removeAlpha().raw().toBuffer();
    expect((await pixels(png.data)).equals(await pixels(direct.data))).toBe(true);
    expect([png.mime, png.width, png.height, jpg.mime, jpg.width, jpg.height]).toEqual(['image/png', 1080, 1350, 'image/jpeg', 1080, 1350]);
    const meta = await sharp(jpg.data).metadata();
    expect([meta.format, meta.hasAlpha, meta.space]).toEqual(['jpeg', false, 'srgb']);
  });

  it('gives JPEG cards a white (not black) background where the SVG is transparent', async () => {
    const svg = `${svgOpen}<rect x="0" y="0" width="540" height="1350" fill="#0B2545"/></svg>`;
    const { data } = await rasterizeCard(svg, 'image/jpeg');
    const right = await regionStats(data, { left: 700, top: 600, width: 100, height: 100 });
    const left = await regionStats(data, { left: 100, top: 600, width: 100, height: 100 });
    expect(right.channels.map((c) => Math.round(c.mean))).toEqual([255, 255, 255]);
    expect(left.channels[2]!.mean).toBeLessThan(90);
    expect(withWhiteBackground('<svg a=">" b="1"><g/></svg>')).toBe('<svg a=">" b="1"><rect width="100%" height="100%" fill="#ffffff"/><g/></svg>');
  });

  it('escapes <, & and <script> from the facts in the SVG, which still parses', () => {
    const post = aPost({
      office: { name: 'Imigrasi <Pontianak> & Co' },
      facts: { release: aRelease({ note: '<script>alert(1)</script> & bawa KTP' }) },
    });
    const svg = renderCardSvg(templates!, post);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('&amp; Co');
    const facts = inspectSvg(svg);
    expect(facts.texts.join(' ')).toContain('Imigrasi <Pontianak> & Co');
    expect(facts.texts.join(' ')).toContain('<script>alert(1)</script>');
  });

  it('shows quota on a weekend service day in the right column (not "closed")', () => {
    const post = aPost({ kind: 'digest', template: 'weekly' });
    const digest = post.facts.digest!;
    digest.days[5] = { date: '2026-12-26', quota: { percepatan: 15 }, weekend: true };
    const svg = renderCardSvg(templates!, post);
    expect(svg.match(/Tutup \(akhir pekan\)/g)).toHaveLength(1);
    const lines = measureLines(inspectSvg(svg).painted, getFontSet());
    const find = (text: string) => lines.filter((l) => l.text === text);
    const saturday = find('Sab, 26 Des')[0]!;
    const sameRow = (text: string) => find(text).find((l) => Math.abs(l.line.y - saturday.line.y) < 1)!;
    const underHeader = (cell: { box: { x0: number; x1: number } }, header: string) => {
      const head = find(header)[0]!;
      return cell.box.x1 > head.box.x0 && cell.box.x0 < head.box.x1;
    };
    // Percepatan is the second column: the 15 sits under it, the empty Reguler cell shows a dash.
    expect(underHeader(sameRow('15'), 'Paspor Percepatan')).toBe(true);
    expect(underHeader(sameRow('–'), 'Paspor Reguler')).toBe(true);
    expect(underHeader(sameRow('15'), 'Paspor Reguler')).toBe(false);
  });

  it('wraps a long note over several lines', () => {
    const note =
      'Pemohon lansia, ibu hamil, dan penyandang disabilitas dapat datang langsung ke kantor tanpa kuota dan tanpa antre selama jam layanan.';
    const svg = renderCardSvg(templates!, aPost({ facts: { release: aRelease({ note }) } }));
    const noteBlock = /<text[^>]*fill="#E6ECF5">([\s\S]*?)<\/text>/.exec(svg)![1]!;
    const lines = [...noteBlock.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) => m[1]!);
    expect(lines.length).toBe(2);
    expect(lines.join(' ').replace(/…$/, '')).toBe(note.slice(0, lines.join(' ').replace(/…$/, '').length));
  });

  it('refuses a character the font cannot draw, naming template and character', () => {
    const post = aPost({ facts: { release: aRelease({ note: 'Semangat 😀 ya 中' }) } });
    let error: unknown;
    try {
      renderCardSvg(templates!, post);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('render-failed');
    expect((error as AppError).message).toMatch(/card template cards\/h-1\.svg\.hbs: the card font has no glyph for "😀" \(U\+1F600\)/);
    expect((error as AppError).message).toMatch(/"中" \(U\+4E2D\)/);
  });

  it('refuses a font-family or weight that is not shipped', () => {
    const loaded = cardTemplates(`${svgOpen}<text font-family="Arial, sans-serif" font-weight="300">x</text></svg>`);
    expect(() => renderCardSvg(loaded, aPost())).toThrow(/font-family "Arial" is not shipped.*font-family "sans-serif".*font-weight "300"/);
  });

  it('refuses invalid SVG, naming the card template and the position', () => {
    const loaded = cardTemplates(`${svgOpen}\n<text font-family="Noto Sans">{{office.name}}</tex></svg>`);
    expect(() => renderCardSvg(loaded, aPost())).toThrow(
      /card template cards\/h-1\.svg\.hbs: the card template produced invalid SVG: <\/tex> closes <text> \(line 2/,
    );
  });

  it('refuses a card of the wrong size', () => {
    const loaded = cardTemplates('<svg xmlns="http://www.w3.org/2000/svg" width="1080" height="1080"></svg>');
    expect(() => renderCardSvg(loaded, aPost())).toThrow(/must be 1080×1350/);
  });

  it('keeps media paths inside the output directory', async () => {
    await expect(
      renderPost(templates!, aPost(), { channelId: 'x', mime: 'image/png' }, { rootDir: outRoot, relDir: '../escape' }),
    ).rejects.toThrow(/must be relative and stay inside/);
  });
});

describe('render/card: several cards per post', () => {
  const cleanups: string[] = [];
  afterAll(() => cleanups.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
  const page2 = '<svg xmlns="http://www.w3.org/2000/svg" width="1080" height="1350"><text x="10" y="50" font-family="Noto Sans">Halaman 2 {{office.shortName}}</text></svg>';

  it('renders cards/NAME.2.svg.hbs as a second image with its own alt text', async () => {
    const dir = writeTemplateDir({ ...minimalFiles(), 'cards/h-1.2.svg.hbs': page2, 'alt/h-1.2.hbs': 'Kartu kedua {{office.shortName}}' });
    const { templates, problems } = loadTemplates(dir, h1Use);
    expect(problems).toEqual([]);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'qh-pages-'));
    cleanups.push(out, dir);
    const rendered = await renderPost(templates!, aPost(), { channelId: 'instagram', mime: 'image/jpeg' }, { rootDir: out, relDir: 'p' });
    expect(rendered.media.map((m) => m.file)).toEqual(['p/card.jpg', 'p/card-2.jpg']);
    expect(rendered.media[1]!.alt).toMatch(/^Kartu kedua /);
    expect(rendered.media[0]!.alt).not.toEqual(rendered.media[1]!.alt);
    const meta = await loadSharp()(path.join(out, 'p/card-2.jpg')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1080, 1350]);
  });

  it('requires the alt text of every extra card', () => {
    const dir = writeTemplateDir({ ...minimalFiles(), 'cards/h-1.2.svg.hbs': page2 });
    cleanups.push(dir);
    const { templates, problems } = loadTemplates(dir, h1Use);
    expect(templates).toBeNull();
    expect(problems).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringContaining(`missing template file ${path.join(dir, 'alt/h-1.2.hbs')}`) })]);
  });
});

describe('render/card: cards drawn once per subject in a batch', () => {
  const xPost = aPost({ channelId: 'x' });
  const igPost = { ...xPost, id: 'other-id', channelId: 'instagram' };

  it('the X and the Instagram post of one subject share the drawn cards; the alt texts stay their own', () => {
    const templates = cardTemplates(`${svgOpen}<text x="10" y="50" font-family="Noto Sans">{{office.name}}</text></svg>`);
    const drawn: DrawnCardCache = new Map();
    const first = renderCardPages(templates, xPost, ['alt untuk X'], drawn);
    const second = renderCardPages(templates, igPost, ['alt untuk Instagram'], drawn);
    expect(drawn.size).toBe(1);
    expect(second.map((p) => p.svg)).toEqual(first.map((p) => p.svg));
    expect([first[0]!.alt, second[0]!.alt]).toEqual(['alt untuk X', 'alt untuk Instagram']);
    // A different subject is drawn anew.
    renderCardPages(templates, { ...xPost, subject: 'another-release', fingerprint: 'f2' }, undefined, drawn);
    expect(drawn.size).toBe(2);
  });

  it('a card template that can show the channel is drawn for each channel', () => {
    const templates = cardTemplates(`${svgOpen}<text x="10" y="50" font-family="Noto Sans">{{office.name}} {{post.channelId}}</text></svg>`);
    const drawn: DrawnCardCache = new Map();
    const forX = renderCardPages(templates, xPost, undefined, drawn)[0]!.svg;
    const forInstagram = renderCardPages(templates, igPost, undefined, drawn)[0]!.svg;
    expect(drawn.size).toBe(0);
    expect(forX).toContain('>Kantor');
    expect(forX).toMatch(/ x<\/text>/);
    expect(forInstagram).toMatch(/ instagram<\/text>/);
  });
});
