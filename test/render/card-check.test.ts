/**
 * `check` sees what the public sees: the rendered card is measured with the
 * card font and every text checked against the card, its panel, the other text
 * and its background.
 */
import fs from 'node:fs';
import path from 'node:path';
import { reportOnce } from '../../src/app/render-batch';
import type { Problem } from '../../src/errors';
import { AppError } from '../../src/errors';
import { checkCardSvg, renderCardSvg } from '../../src/render/card';
import { contrastRatio, parseColour } from '../../src/render/card-geometry';
import { loadTemplates } from '../../src/render/templates';
import { batamTwiceMonthly } from './card-cases';
import { aPost } from './post-builder';
import { minimalFiles, writeTemplateDir } from './template-dir';

const BEFORE = path.resolve(__dirname, '../fixtures/cards-before-issue-7');
const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

const card = (body: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="1080" height="1350" font-family="Noto Sans"><rect width="1080" height="1350" fill="#0B2545"/>${body}</svg>`;

function problemsOf(render: () => unknown): Problem[] {
  try {
    render();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const problems = (error as AppError & { problems?: Problem[] }).problems;
    if (!problems) throw error;
    return problems;
  }
  return [];
}

describe('render/card check: layout as drawn', () => {
  it('reports the Total hidden under the footer by the templates shipped before (9 rows), and rows off the card (12)', () => {
    const { templates, problems } = loadTemplates(BEFORE, [{ name: 'h-1', kind: 'announcement', channelIds: [] }]);
    expect(problems).toEqual([]);
    const twelve = { ...batamTwiceMonthly(), template: 'h-1' };
    const nine = structuredClone(twelve);
    nine.facts.release!.days = nine.facts.release!.days.slice(0, 8);
    const hidden = problemsOf(() => renderCardSvg(templates!, nine));
    expect(hidden.every((p) => p.severity === 'error' && p.message.startsWith('card template cards/h-1.svg.hbs:'))).toBe(true);
    // The Total row's counts (1.550, 280, …) sit on the footer line, and the footer on the Total's band.
    expect(hidden.map((p) => p.message)).toContainEqual(expect.stringMatching(/text "1\.550" \(x \d+–\d+, y 12\d\d–12\d\d\) overlaps "Daftar GRATIS/));
    expect(hidden.map((p) => p.message)).toContainEqual(expect.stringMatching(/text "Daftar GRATIS.*" in #FFFFFF on #F4EBCB has a contrast of 1\.2:1/));
    const off = problemsOf(() => renderCardSvg(templates!, twelve));
    expect(off.map((p) => p.message)).toContainEqual(expect.stringMatching(/text "Total" runs off the 1080×1350 card/));
  });

  it('reports the grey closed-day rows of the old weekly card: #8A96A8 on white is 3.0:1', () => {
    const { templates } = loadTemplates(BEFORE, [{ name: 'weekly', kind: 'digest', channelIds: [] }]);
    const found = problemsOf(() => renderCardSvg(templates!, aPost({ kind: 'digest', template: 'weekly', dueAt: '2026-12-20T11:00:00.000Z' })));
    expect(found.map((p) => p.message)).toContainEqual(
      expect.stringMatching(/text "Tutup \(akhir pekan\)" in #8A96A8 on #FFFFFF has a contrast of 3\.0:1, under 4\.5:1/),
    );
  });

  it('reports text on top of other text, with both texts and where', () => {
    const svg = card('<text x="100" y="200" font-size="40" fill="#FFFFFF">Kuota reguler</text><text x="200" y="210" font-size="40" fill="#FFFFFF">120 orang</text>');
    expect(checkCardSvg(svg, 'cards/t.svg.hbs').map((p) => p.message)).toEqual([
      expect.stringMatching(/^card template cards\/t\.svg\.hbs: text "Kuota reguler" \(x 100–3\d\d, y 17\d–2\d\d\) overlaps "120 orang" \(x 200–/),
    ]);
  });

  it('measures text-anchor, font-size and translate: the same texts side by side are fine', () => {
    const svg = card(
      '<g transform="translate(0 100)"><text x="100" y="200" font-size="40" fill="#FFFFFF">Kuota reguler</text>' +
        '<text x="980" y="200" text-anchor="end" font-size="40" fill="#FFFFFF">120 orang</text>' +
        '<text x="540" y="300" text-anchor="middle" font-size="40" fill="#FFFFFF">Tengah</text></g>',
    );
    expect(checkCardSvg(svg, 'cards/t.svg.hbs')).toEqual([]);
    // Moved by the translate onto a white box drawn after it: hidden.
    const hidden = card('<g transform="translate(0 100)"><text x="100" y="200" font-size="40" fill="#FFFFFF">Kuota</text></g><rect x="0" y="250" width="1080" height="100" fill="#FFFFFF"/>');
    expect(checkCardSvg(hidden, 'cards/t.svg.hbs').map((p) => p.message)).toEqual([expect.stringMatching(/text "Kuota" .* is hidden under a shape drawn after it/)]);
  });

  it('reports text running out of the panel it sits on, and off the card', () => {
    const svg = card(
      '<rect x="70" y="400" width="400" height="200" fill="#FFFFFF"/>' +
        '<text x="110" y="500" font-size="36" fill="#0B2545">aplikasi M-Paspor (unduh di Play Store)</text>' +
        '<text x="540" y="900" text-anchor="middle" font-size="60" fill="#FFFFFF">Kantor Imigrasi Kelas I Khusus TPI Batam</text>',
    );
    const messages = checkCardSvg(svg, 'cards/t.svg.hbs').map((p) => p.message);
    expect(messages).toEqual([
      expect.stringMatching(/text "aplikasi M-Paspor \(unduh di Play Store\)" \(x 110–\d+, .*\) runs outside the panel it sits on \(x 70–470, y 400–600\)/),
      expect.stringMatching(/text "Kantor Imigrasi Kelas I Khusus TPI Batam" runs off the 1080×1350 card \(x -\d+–1\d\d\d/),
    ]);
  });

  it('reports low contrast of a run (a struck-through tspan) against its panel', () => {
    expect(contrastRatio(parseColour('#8A96A8')!, parseColour('#FFFFFF')!)).toBeCloseTo(3.0, 1);
    const svg = card(
      '<rect x="70" y="400" width="940" height="200" fill="#FFFFFF"/>' +
        '<text x="970" y="500" text-anchor="end" font-size="36" fill="#0B2545"><tspan fill="#8A96A8">120</tspan> › 80</text>',
    );
    expect(checkCardSvg(svg, 'cards/t.svg.hbs').map((p) => p.message)).toEqual([
      expect.stringMatching(/text "120" in #8A96A8 on #FFFFFF has a contrast of 3\.0:1, under 4\.5:1/),
    ]);
    expect(checkCardSvg(svg.replace('#8A96A8', '#4A5A70'), 'cards/t.svg.hbs')).toEqual([]);
  });
});

describe('render/card check: glyphs', () => {
  it('names the partial that holds a character the font lacks, once for all posts using it', () => {
    const dir = writeTemplateDir({
      ...minimalFiles(),
      'partials/stamp.hbs': '<text x="540" y="600" text-anchor="middle" font-size="30" fill="#FFFFFF">Jadwal 📅</text>',
      'cards/h-1.svg.hbs': card('<text x="100" y="100" font-size="30" fill="#FFFFFF">{{office.shortName}}</text>\n{{> stamp}}'),
    });
    tempDirs.push(dir);
    const { templates, problems } = loadTemplates(dir, [{ name: 'h-1', kind: 'announcement', channelIds: [] }]);
    expect(problems).toEqual([]);
    const first = problemsOf(() => renderCardSvg(templates!, aPost()));
    const second = problemsOf(() => renderCardSvg(templates!, aPost({ office: { shortName: 'Imigrasi Batam' } })));
    expect(first).toEqual([
      {
        location: { file: path.join(dir, 'partials/stamp.hbs'), line: 1, col: 81 },
        message: expect.stringMatching(/^the card font has no glyph for "📅" \(U\+1F4C5\); .* Remove or replace it here\.$/),
        severity: 'error',
      },
    ]);
    const subject = (id: string) => (p: Problem): Problem => ({ ...p, subject: p.location ? undefined : id });
    const reported = reportOnce([first.map(subject('post-1')), second.map(subject('post-2'))]);
    expect(reported.flat()).toHaveLength(1);
  });

  it('names the data when the character comes from the calendar, not a template', () => {
    const { templates } = loadTemplates(path.resolve(__dirname, '../../templates'), [{ name: 'h-1', kind: 'announcement', channelIds: [] }]);
    const post = aPost({ office: { shortName: 'Imigrasi ☃' } });
    post.facts.office.name = 'Kantor Imigrasi ☃';
    const found = problemsOf(() => renderCardSvg(templates!, post));
    expect(found).toEqual([expect.objectContaining({ subject: expect.stringContaining('h-1.svg.hbs'), message: expect.stringMatching(/no glyph for "☃" .*calendar note or office config/) })]);
    expect(found[0]!.location).toBeUndefined();
  });
});
