/**
 * The card font: Noto Sans, shipped through npm (`@expo-google-fonts/noto-sans`).
 *
 * Two consumers need it and each finds fonts its own way:
 * - fontkit (text measurement for `wrap`, glyph checks) opens the TTF files directly;
 * - sharp/librsvg finds fonts only through fontconfig, which reads
 *   `FONTCONFIG_FILE` once, when the native library initialises. So before sharp
 *   is first required we write a fonts.conf listing ONLY the shipped font
 *   directories: a card renders the same on a laptop full of fonts and on a bare
 *   server, and a font we do not ship can never sneak into a card.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as fontkit from 'fontkit';
import type sharpModuleType from 'sharp';
import { AppError } from '../errors';

/** The only font family cards may use. */
export const CARD_FONT_FAMILY = 'Noto Sans';

/** Weights shipped, with the package folder and file of each. */
const WEIGHT_FILES: Record<number, string> = {
  400: '400Regular/NotoSans_400Regular.ttf',
  600: '600SemiBold/NotoSans_600SemiBold.ttf',
  700: '700Bold/NotoSans_700Bold.ttf',
  800: '800ExtraBold/NotoSans_800ExtraBold.ttf',
};

/** The font weights a card may ask for (`font-weight`). */
export const SHIPPED_WEIGHTS: readonly number[] = Object.keys(WEIGHT_FILES).map(Number);

/** Just the part of a fontkit font we use (fontkit's own types are a union with collections). */
interface MeasurableFont {
  unitsPerEm: number;
  hasGlyphForCodePoint(codePoint: number): boolean;
  layout(text: string): { advanceWidth: number };
}

export interface FontSet {
  /** Directory holding the weight folders (the npm package directory by default). */
  dir: string;
  files: Record<number, string>;
  /** Width of `text` in px at `fontSizePx`, measured with the real font metrics. */
  measure(text: string, fontSizePx: number, weight?: number): number;
  /** True when the shipped font has a glyph for the character. */
  hasGlyph(codePoint: number): boolean;
}

function defaultFontDir(): string {
  // The package has no `exports` map, so resolving its main file is allowed.
  return path.dirname(require.resolve('@expo-google-fonts/noto-sans'));
}

/** Maps any requested weight to the nearest shipped one (what fontconfig does too). */
export function nearestWeight(weight: number): number {
  let best = 400;
  for (const candidate of SHIPPED_WEIGHTS) {
    if (Math.abs(candidate - weight) < Math.abs(best - weight)) best = candidate;
  }
  return best;
}

/**
 * Opens the shipped font files. Throws AppError('font-missing') naming the file
 * and the fix when one is not there (a broken `node_modules`).
 */
export function loadFontSet(dir: string = defaultFontDir()): FontSet {
  const files: Record<number, string> = {};
  const fonts = new Map<number, MeasurableFont>();
  for (const [weight, rel] of Object.entries(WEIGHT_FILES)) {
    const file = path.join(dir, rel);
    if (!fs.existsSync(file)) {
      throw new AppError(
        'font-missing',
        `The card font file ${file} is missing. Run \`npm ci\` to reinstall @expo-google-fonts/noto-sans; cards cannot be rendered without it.`,
      );
    }
    files[Number(weight)] = file;
  }
  const open = (weight: number): MeasurableFont => {
    const w = nearestWeight(weight);
    let font = fonts.get(w);
    if (!font) {
      try {
        font = fontkit.openSync(files[w]!) as unknown as MeasurableFont;
      } catch (cause) {
        throw new AppError('font-missing', `The card font file ${files[w]} cannot be read. Run \`npm ci\` to reinstall it.`, {
          cause,
        });
      }
      fonts.set(w, font);
    }
    return font;
  };
  const widthCache = new Map<string, number>();
  return {
    dir,
    files,
    measure(text, fontSizePx, weight = 400) {
      const key = `${nearestWeight(weight)}|${text}`;
      let units = widthCache.get(key);
      if (units === undefined) {
        const font = open(weight);
        units = font.layout(text).advanceWidth / font.unitsPerEm;
        if (widthCache.size > 10_000) widthCache.clear();
        widthCache.set(key, units);
      }
      return units * fontSizePx;
    },
    hasGlyph(codePoint) {
      // Every shipped weight has the same character coverage; the regular one answers.
      return open(400).hasGlyphForCodePoint(codePoint);
    },
  };
}

let defaultFonts: FontSet | null = null;

/** The shipped fonts, opened once per process. */
export function getFontSet(): FontSet {
  defaultFonts ??= loadFontSet();
  return defaultFonts;
}

let configuredFile: string | null = null;

/**
 * Writes a fonts.conf that lists only the shipped font directories and points
 * `FONTCONFIG_FILE` at it. Must run before sharp is first required; `loadSharp`
 * does it. Idempotent; the directory name is a hash of the font files, so
 * concurrent processes share one file and one fontconfig cache.
 */
export function configureFontconfig(fonts: FontSet = getFontSet(), baseDir: string = os.tmpdir()): string {
  if (configuredFile) return configuredFile;
  const dirs = [...new Set(Object.values(fonts.files).map((file) => path.dirname(file)))].sort();
  const hash = createHash('sha256').update(dirs.join('\n')).digest('hex').slice(0, 12);
  const confDir = path.join(baseDir, `quota-herald-fonts-${hash}`);
  const confFile = path.join(confDir, 'fonts.conf');
  const xml = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
    '<fontconfig>',
    ...dirs.map((dir) => `  <dir>${escapeXml(dir)}</dir>`),
    `  <cachedir>${escapeXml(path.join(confDir, 'cache'))}</cachedir>`,
    '</fontconfig>',
    '',
  ].join('\n');
  fs.mkdirSync(confDir, { recursive: true });
  const current = fs.existsSync(confFile) ? fs.readFileSync(confFile, 'utf8') : null;
  if (current !== xml) {
    // Write then rename: another process may be reading the file right now.
    const tmp = `${confFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, xml);
    fs.renameSync(tmp, confFile);
  }
  process.env.FONTCONFIG_FILE = confFile;
  configuredFile = confFile;
  return confFile;
}

type Sharp = typeof sharpModuleType;
let sharpModule: Sharp | null = null;

/** sharp, required only after fontconfig has been pointed at the shipped fonts. */
export function loadSharp(): Sharp {
  if (!sharpModule) {
    configureFontconfig();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    sharpModule = require('sharp') as Sharp;
    // Every card is a new SVG: libvips' operation cache never hits and only holds memory.
    sharpModule.cache(false);
  }
  return sharpModule;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
