/**
 * Image cards: SVG from a template, checked, then rasterised by sharp
 * (librsvg) with only the shipped font visible (fonts.ts).
 *
 * The checks exist because librsvg fails quietly: a character the font lacks
 * becomes an empty box, an unknown font-family silently falls back, and a
 * broken SVG gives a one-line error without the template's name.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError, type Problem, type SourceLocation } from '../errors';
import type { PlannedPost } from '../plan/types';
import { contextFor, groupFor, runTemplate } from './caption';
import { checkLayout } from './card-geometry';
import { cardViews, type CardView } from './card-layout';
import { CARD_FONT_FAMILY, getFontSet, loadSharp, SHIPPED_WEIGHTS, type FontSet } from './fonts';
import { inspectSvg, SvgSyntaxError } from './svg-inspect';
import { cardVerifyView } from './verify-view';
import type { CompiledTemplate, TemplateGroup, TemplateSet } from './types';

export const CARD_WIDTH = 1080;
export const CARD_HEIGHT = 1350;

const WEIGHT_NAMES: Record<string, number> = { normal: 400, bold: 700 };

function describe(codePoint: number): string {
  return `"${String.fromCodePoint(codePoint)}" (U+${codePoint.toString(16).toUpperCase().padStart(4, '0')})`;
}

/**
 * Problems of a rendered card: invalid SVG, wrong size, a font we do not ship,
 * a character without a glyph. `file` is the card template, named in every message.
 */
export function checkCardSvg(svg: string, file: string, fonts: FontSet = getFontSet()): Problem[] {
  const problems: Problem[] = [];
  const name = file.split(/[\\/]/).slice(-2).join('/');
  const add = (message: string): void => {
    problems.push({ subject: file, message: `card template ${name}: ${message}`, severity: 'error' });
  };
  let facts;
  try {
    facts = inspectSvg(svg);
  } catch (error) {
    if (!(error instanceof SvgSyntaxError)) throw error;
    add(`the card template produced invalid SVG: ${error.message}. Fix the template (check quotes and closing tags).`);
    return problems;
  }
  const size = (value: string | null): number => Number(String(value).replace(/px$/, ''));
  if (size(facts.width) !== CARD_WIDTH || size(facts.height) !== CARD_HEIGHT) {
    add(`the card must be ${CARD_WIDTH}×${CARD_HEIGHT}: set width="${CARD_WIDTH}" height="${CARD_HEIGHT}" on <svg> (found ${facts.width ?? 'none'}×${facts.height ?? 'none'}).`);
  }
  for (const value of new Set(facts.fontFamilies)) {
    for (const family of value.split(',').map((f) => f.trim().replace(/^['"]|['"]$/g, ''))) {
      if (family.toLowerCase() !== CARD_FONT_FAMILY.toLowerCase()) {
        add(`font-family "${family}" is not shipped with quota-herald; use font-family="${CARD_FONT_FAMILY}" (the only card font).`);
      }
    }
  }
  for (const value of new Set(facts.fontWeights)) {
    const weight = WEIGHT_NAMES[value] ?? Number(value);
    if (!SHIPPED_WEIGHTS.includes(weight)) {
      add(`font-weight "${value}" is not shipped; use one of ${SHIPPED_WEIGHTS.join(', ')} (or normal/bold).`);
    }
  }
  for (const message of checkLayout(facts.painted, CARD_WIDTH, CARD_HEIGHT, fonts)) add(message);
  const missing = new Map<number, string>();
  for (const text of facts.texts) {
    for (const char of text) {
      const codePoint = char.codePointAt(0)!;
      if (/\s/.test(char) || missing.has(codePoint)) continue;
      if (!fonts.hasGlyph(codePoint)) missing.set(codePoint, text.trim());
    }
  }
  for (const [codePoint, text] of missing) {
    const source = findInTemplates(String.fromCodePoint(codePoint), file);
    if (source) {
      // The character is in a template file: name that file (a partial, not the card using it), once.
      problems.push({
        location: source,
        message: `the card font has no glyph for ${describe(codePoint)}; it would print as an empty box on every card using this file. Remove or replace it here.`,
        severity: 'error',
      });
    } else {
      add(`the card font has no glyph for ${describe(codePoint)} in "${text.slice(0, 60)}"; it would print as an empty box. Remove or replace it (in the calendar note or office config).`);
    }
  }
  return problems;
}

/** Template sources by file, read once per process (templates are loaded once too). */
const sourceCache = new Map<string, string | null>();

function readSource(file: string): string | null {
  if (!sourceCache.has(file)) {
    sourceCache.set(file, fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null);
  }
  return sourceCache.get(file)!;
}

/** Where `char` first occurs in the card template or a partial next to it, or null (it came from the data). */
function findInTemplates(char: string, cardFile: string): SourceLocation | null {
  const partialsDir = path.join(path.dirname(path.dirname(cardFile)), 'partials');
  const partials = fs.existsSync(partialsDir) ? fs.readdirSync(partialsDir).filter((f) => f.endsWith('.hbs')).sort().map((f) => path.join(partialsDir, f)) : [];
  for (const file of [cardFile, ...partials]) {
    const source = readSource(file);
    const index = source?.indexOf(char) ?? -1;
    if (index < 0) continue;
    const before = source!.slice(0, index).split('\n');
    return { file, line: before.length, col: before[before.length - 1]!.length + 1 };
  }
  return null;
}

/** The card SVG of a post, checked. Pure apart from reading the font files once. */
export function renderCardSvg(templates: TemplateSet, post: PlannedPost): string {
  return renderCardPages(templates, post)[0]!.svg;
}

/**
 * The X and the Instagram post of a rule draw the same SVG: measure it once.
 * Keyed by the whole SVG text (checkCardSvg is pure); the last 64 are kept.
 */
const checked = new Map<string, Problem[]>();
function checkedOnce(svg: string, file: string, fonts: FontSet): Problem[] {
  const key = `${file}\n${svg}`;
  let problems = checked.get(key);
  if (!problems) {
    problems = checkCardSvg(svg, file, fonts);
    checked.set(key, problems);
    if (checked.size > 64) checked.delete(checked.keys().next().value!);
  }
  return problems;
}

/** Alt text of a continuation card: the first card's alt text already describes every row. */
function continuationAlt(view: CardView): string {
  return `Lanjutan tabel kuota, gambar ${view.page} dari ${view.pages}. Rincian lengkap ada pada teks alternatif gambar pertama.`;
}

/**
 * Every card of the post, each checked: the card template once per page of its
 * table (card-layout.ts decides how many), then `NAME.2.svg.hbs`, … with their alt texts.
 * `alts` are the alt texts of the template pages (first card, then each extra
 * card) as `renderAltTexts` fits them for a channel; without them the alt
 * templates are rendered here. A table's continuation cards get a short alt
 * text of their own: the first card's already describes every row.
 */
export function renderCardPages(templates: TemplateSet, post: PlannedPost, alts?: readonly string[], drawn?: DrawnCardCache): { svg: string; alt: string }[] {
  const group = groupFor(templates, post);
  const context = contextFor(templates, post);
  const pages = drawnPages(group, post, context, drawn);
  return pages.map((page) => {
    if (page.altIndex === null || !page.alt) return { svg: page.svg, alt: continuationAlt(page.view) };
    const alt = alts?.[page.altIndex] ?? runTemplate(page.alt, context).replace(/\s+/g, ' ').trim();
    return { svg: page.svg, alt };
  });
}

interface DrawnPage {
  svg: string;
  view: CardView;
  alt: CompiledTemplate | null;
  altIndex: number | null;
}

/**
 * Cards already drawn in one batch (preview, check, simulate), by subject: the X
 * and the Instagram post of a rule show the same cards, so layout, template and
 * checks run once. Only for templates that cannot tell the channels apart
 * (`cardsReadChannel`); alt texts stay per channel.
 */
export type DrawnCardCache = Map<string, DrawnPage[]>;

function drawnPages(group: TemplateGroup, post: PlannedPost, context: ReturnType<typeof contextFor>, drawn: DrawnCardCache | undefined): DrawnPage[] {
  const key = drawn && !group.cardsReadChannel ? [post.officeId, post.ruleId, post.subject, post.template, post.kind, post.dueAt.toISOString(), post.fingerprint].join('\n') : null;
  const cached = key === null ? undefined : drawn!.get(key);
  if (cached) return cached;
  const fonts = getFontSet();
  const views = cardViews(context, fonts);
  const verify = cardVerifyView(context.verify);
  const last = views[views.length - 1]!;
  const pages = [
    ...views.map((view) => ({ card: group.card, alt: view.first ? group.alt : null, altIndex: view.first ? 0 : null, view })),
    ...group.extraPages.map((page, i) => ({ card: page.card, alt: page.alt, altIndex: i + 1, view: { ...last, table: null } })),
  ];
  const result = pages.map((page): DrawnPage => {
    const svg = runTemplate(page.card, { ...context, verify, card: page.view });
    const problems = checkedOnce(svg, page.card.file, fonts);
    if (problems.length > 0) {
      throw new AppError('render-failed', problems.map((p) => p.message).join(' '), { problems });
    }
    return { svg, view: page.view, alt: page.alt, altIndex: page.altIndex };
  });
  if (key !== null) drawn!.set(key, result);
  return result;
}

/** A rasterised card, ready to write. */
export interface CardImage {
  data: Buffer;
  mime: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
}

/**
 * Puts an opaque white rectangle behind everything: JPEG has no alpha, and
 * doing it in the SVG is cheaper than sharp's flatten() (measured ~4 ms of 25).
 * The end of the root start tag is found honouring quotes, since ">" is legal
 * inside an XML attribute value.
 */
export function withWhiteBackground(svg: string): string {
  const start = svg.indexOf('<svg');
  if (start < 0) return svg;
  let quote: string | null = null;
  for (let i = start; i < svg.length; i++) {
    const ch = svg[i]!;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '>') {
      if (svg[i - 1] === '/') return svg; // an empty <svg/> draws nothing anyway
      return `${svg.slice(0, i + 1)}<rect width="100%" height="100%" fill="#ffffff"/>${svg.slice(i + 1)}`;
    }
  }
  return svg;
}

/**
 * SVG → PNG (X) or JPEG (Instagram: no alpha, sRGB, quality 90).
 *
 * Speed choices, measured with bench/render.ts on 2 cores: PNG zlib level 3
 * instead of 6 halves the encode time for ~8% more bytes; JPEG keeps 4:2:0
 * chroma (4:4:4 costs ~60% more and Instagram re-encodes to 4:2:0 anyway) and
 * skips Huffman optimisation (~5 ms for ~10% fewer bytes, far under the limits).
 */
export async function rasterizeCard(svg: string, mime: 'image/png' | 'image/jpeg'): Promise<CardImage> {
  const sharp = loadSharp();
  // density 72: one SVG user unit = one pixel, so 1080×1350 in gives 1080×1350 out.
  const encoded =
    mime === 'image/png'
      ? sharp(Buffer.from(svg), { density: 72 }).png({ compressionLevel: 3, adaptiveFiltering: false })
      : sharp(Buffer.from(withWhiteBackground(svg)), { density: 72 })
          .removeAlpha()
          .toColourspace('srgb')
          .jpeg({ quality: 90, optimiseCoding: false });
  try {
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { data, mime, width: info.width, height: info.height };
  } catch (cause) {
    throw new AppError('render-failed', `the card could not be rasterised: ${(cause as Error).message}`, { cause });
  }
}

/** Turns a card SVG into an image; `rasterizeCard`, or a `RasterCache`'s `rasterize`. */
export type Rasterizer = (svg: string, mime: 'image/png' | 'image/jpeg') => Promise<CardImage>;

/**
 * Rasterises each distinct SVG once and encodes it as often as asked: the X
 * (PNG) and Instagram (JPEG) posts of one rule draw the same card, and drawing
 * it (librsvg) costs about three times an encode. Measured in bench/render.ts.
 *
 * The pixels are drawn on white (as the JPEG needs), so a template that leaves
 * parts of the card transparent gets a white background in the PNG too.
 * Holds the last `size` drawings; posts come in due order, so the pair of a
 * card is near.
 */
export class RasterCache {
  private readonly drawn = new Map<string, Promise<{ data: Buffer; width: number; height: number; channels: 1 | 2 | 3 | 4 }>>();

  constructor(private readonly size = 16) {}

  readonly rasterize: Rasterizer = async (svg, mime) => {
    const sharp = loadSharp();
    let pixels = this.drawn.get(svg);
    if (!pixels) {
      pixels = sharp(Buffer.from(withWhiteBackground(svg)), { density: 72 })
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true })
        .then(({ data, info }) => ({ data, width: info.width, height: info.height, channels: info.channels }));
      this.drawn.set(svg, pixels);
      if (this.drawn.size > this.size) this.drawn.delete(this.drawn.keys().next().value!);
    }
    try {
      const { data, width, height, channels } = await pixels;
      const image = sharp(data, { raw: { width, height, channels } });
      const encoded =
        mime === 'image/png'
          ? image.png({ compressionLevel: 3, adaptiveFiltering: false })
          : image.toColourspace('srgb').jpeg({ quality: 90, optimiseCoding: false });
      const out = await encoded.toBuffer({ resolveWithObject: true });
      return { data: out.data, mime, width: out.info.width, height: out.info.height };
    } catch (cause) {
      this.drawn.delete(svg);
      throw new AppError('render-failed', `the card could not be rasterised: ${(cause as Error).message}`, { cause });
    }
  };
}
