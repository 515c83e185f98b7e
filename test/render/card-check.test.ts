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
import { minimalFiles, SAMPLE_TEMPLATES, writeTemplateDir } from './template-dir';

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

describe('render/card check: the verification QR code', () => {
  /** A QR code box as partials/verify-qr.hbs draws it (the path does not matter to the check). */
  const qr = '<rect data-verify="qr" x="805" y="1131" width="205" height="205" fill="#FFFFFF"/><path d="M4 4h7v1h-7z" transform="translate(805 1131) scale(5)" fill="#000000"/>';

  it('reports text on the QR code, drawn before or after it, once and as that', () => {
    const after = card(`${qr}<text x="540" y="1300" text-anchor="middle" font-size="24" fill="#FFFFFF">#ImigrasiPontianak #MPaspor #KuotaPasporPontianak</text>`);
    expect(checkCardSvg(after, 'cards/t.svg.hbs').map((p) => p.message)).toEqual([
      expect.stringMatching(/^card template cards\/t\.svg\.hbs: text "#ImigrasiPontianak #MPaspor #KuotaPaspo…" \(x \d+–(8[1-9]\d|9\d\d), y 12\d\d–13\d\d\) overlaps the verification QR code \(x 805–1010, y 1131–1336\): a QR code with anything on it cannot be scanned/),
    ]);
    const before = card(`<text x="1000" y="1250" text-anchor="end" font-size="24" fill="#FFFFFF">Kode cek: K7M2-Q9XD</text>${qr}`);
    expect(checkCardSvg(before, 'cards/t.svg.hbs').map((p) => p.message)).toEqual([expect.stringMatching(/text "Kode cek: K7M2-Q9XD" .* overlaps the verification QR code/)]);
  });

  it('reports a shape over the QR code, and the QR code over part of a shape', () => {
    const over = card(`${qr}<rect x="70" y="1100" width="940" height="60" rx="24" fill="#FFFFFF"/>`);
    expect(checkCardSvg(over, 'cards/t.svg.hbs').map((p) => p.message)).toEqual([
      expect.stringMatching(/a shape \(x 70–1010, y 1100–1160\) is drawn over the verification QR code \(x 805–1010, y 1131–1336\)/),
    ]);
    const under = card(`<rect x="70" y="900" width="940" height="300" rx="24" fill="#FFFFFF"/>${qr}`);
    expect(checkCardSvg(under, 'cards/t.svg.hbs').map((p) => p.message)).toEqual([
      expect.stringMatching(/the verification QR code \(x 805–1010, y 1131–1336\) covers part of a shape drawn before it \(x 70–1010, y 900–1200\)/),
    ]);
    // The background it sits on is no overlap; a QR code off the card is.
    expect(checkCardSvg(card(qr), 'cards/t.svg.hbs')).toEqual([]);
    expect(checkCardSvg(card(qr.replace(/1131/g, '1200')), 'cards/t.svg.hbs').map((p) => p.message)).toEqual([expect.stringMatching(/the verification QR code \(x 805–1010, y 1200–1405\) runs off the card/)]);
  });

  it("catches an office's own footer that puts its hashtags where {{> verify-qr}} paints", () => {
    const dir = writeTemplateDir({
      ...minimalFiles(),
      'cards/h-1.svg.hbs': card(
        '<text x="540" y="200" text-anchor="middle" font-size="40" fill="#FFFFFF">{{office.name}}</text>\n' +
          '  <text x="1010" y="1250" text-anchor="end" font-size="24" font-weight="600" fill="#C9A227">{{#each office.hashtags}}{{this}} {{/each}}</text>\n' +
          '{{> verify-qr}}',
      ),
    });
    tempDirs.push(dir);
    const { templates, problems } = loadTemplates([dir, SAMPLE_TEMPLATES], [{ name: 'h-1', kind: 'announcement', channelIds: [] }], { publicBaseUrl: 'https://kuota.example.go.id' });
    expect(problems).toEqual([]);
    const found = problemsOf(() => renderCardSvg(templates!, aPost()));
    expect(found.map((p) => p.message)).toEqual([expect.stringMatching(/^card template cards\/h-1\.svg\.hbs: text "#ImigrasiPontianak #MPaspor #KuotaPaspor" .* overlaps the verification QR code/)]);
    // Moved into the footer's text column, above the code: fine.
    fs.writeFileSync(path.join(dir, 'cards/h-1.svg.hbs'), fs.readFileSync(path.join(dir, 'cards/h-1.svg.hbs'), 'utf8').replace('x="1010" y="1250" text-anchor="end"', 'x="70" y="1250"'));
    const fixed = loadTemplates([dir, SAMPLE_TEMPLATES], [{ name: 'h-1', kind: 'announcement', channelIds: [] }], { publicBaseUrl: 'https://kuota.example.go.id' });
    expect(problemsOf(() => renderCardSvg(fixed.templates!, aPost()))).toEqual([]);
  });
});

