import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rasterizeCard } from '../../src/render/card';
import { configureFontconfig, getFontSet, loadFontSet, loadSharp, nearestWeight } from '../../src/render/fonts';
import { wrapText } from '../../src/render/helpers/wrap';

const svgWith = (family: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="1080" height="1350"><rect width="1080" height="1350" fill="#fff"/><text x="40" y="200" font-size="90" font-family="${family}">Kuota 14.00 WIB</text></svg>`;

describe('render/fonts', () => {
  it('fails with font-missing and the fix when the font files are not there', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'qh-nofont-'));
    expect(() => loadFontSet(empty)).toThrow(expect.objectContaining({ code: 'font-missing', message: expect.stringMatching(/npm ci/) }));
  });

  it('points fontconfig at the shipped fonts only', () => {
    const file = configureFontconfig();
    expect(process.env.FONTCONFIG_FILE).toBe(file);
    const dirs = [...fs.readFileSync(file, 'utf8').matchAll(/<dir>([^<]*)<\/dir>/g)].map((m) => m[1]);
    expect(dirs.length).toBeGreaterThan(0);
    for (const dir of dirs) expect(dir).toContain(path.join('@expo-google-fonts', 'noto-sans'));
  });

  it('never lets sharp see system fonts: any family renders in Noto Sans', async () => {
    loadSharp();
    // DejaVu Sans is installed on many machines (and on this one); it must not be used.
    const noto = await rasterizeCard(svgWith('Noto Sans'), 'image/png');
    const other = await rasterizeCard(svgWith('DejaVu Sans'), 'image/png');
    expect(other.data.equals(noto.data)).toBe(true);
  });

  it('measures text with the real metrics', () => {
    const fonts = getFontSet();
    const regular = fonts.measure('Kantor Imigrasi', 40);
    expect(regular).toBeGreaterThan(250);
    expect(regular).toBeLessThan(320);
    expect(fonts.measure('Kantor Imigrasi', 40, 700)).toBeGreaterThan(regular);
    expect(fonts.measure('Kantor Imigrasi', 80)).toBeCloseTo(regular * 2, 5);
    expect(nearestWeight(650)).toBe(600);
  });

  it('wraps text to the width, breaking over-long words and cutting with …', () => {
    const fonts = getFontSet();
    const lines = wrapText('Kantor Imigrasi Kelas I TPI Pontianak', { maxWidthPx: 400, fontSizePx: 40 }, fonts);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(' ')).toBe('Kantor Imigrasi Kelas I TPI Pontianak');
    lines.forEach((line, i) => {
      expect(fonts.measure(line, 40)).toBeLessThanOrEqual(400);
      // Greedy: the next line's first word would not have fitted on this one.
      const next = lines[i + 1];
      if (next) expect(fonts.measure(`${line} ${next.split(' ')[0]}`, 40)).toBeGreaterThan(400);
    });
    const long = wrapText('Supercalifragilisticexpialidocious', { maxWidthPx: 200, fontSizePx: 40 }, fonts);
    expect(long.join('')).toBe('Supercalifragilisticexpialidocious');
    expect(long.length).toBeGreaterThan(1);
    const cut = wrapText('satu dua tiga empat lima enam tujuh delapan', { maxWidthPx: 150, fontSizePx: 40, maxLines: 2 }, fonts);
    expect(cut).toHaveLength(2);
    expect(cut[1]).toMatch(/…$/);
  });
});
