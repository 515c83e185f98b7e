/**
 * The shipped cards fit every valid calendar: 1–31 service days, 1–6
 * services, counts up to 99.999, long names and booking texts, closed days in
 * date order, empty weeks. "Fit" is what the layout check measures on the
 * rendered SVG (card-check.test.ts): nothing off the card, outside its panel,
 * overlapping or faint. renderCardPages throws on any of it.
 */
import path from 'node:path';
import { renderCardPages } from '../../src/render/card';
import { measureLines } from '../../src/render/card-geometry';
import { cardViews } from '../../src/render/card-layout';
import { buildRenderContext } from '../../src/render/context';
import { getFontSet } from '../../src/render/fonts';
import { inspectSvg } from '../../src/render/svg-inspect';
import { loadTemplates } from '../../src/render/templates';
import { addDays } from '../../src/time/plain-date';
import { batamTwiceMonthly, CARD_CASES, emptyWeek, makassarMonthly, oneServiceOneDay, sixServicesMonth, weeklyTwoServices } from './card-cases';
import { aPost, aRelease } from './post-builder';
import { SAMPLE_USES } from './template-dir';

const { templates } = loadTemplates(path.resolve(__dirname, '../../templates'), SAMPLE_USES);
const fonts = getFontSet();

/** Texts of a card, top to bottom. */
const textsOf = (svg: string): string[] =>
  measureLines(inspectSvg(svg).painted, fonts)
    .sort((a, b) => a.box.y0 - b.box.y0 || a.box.x0 - b.box.x0)
    .map((line) => line.text);

describe('render/card layout: offices unlike the sample', () => {
  it.each(Object.keys(CARD_CASES))('%s renders every card without a layout problem, within X’s four images', (name) => {
    const pages = renderCardPages(templates!, CARD_CASES[name]!());
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(pages.length).toBeLessThanOrEqual(4);
    for (const page of pages) expect(page.alt.trim()).not.toBe('');
  });

  // Readable on a phone: a 1080-px card shown ~360 px wide scales text by a third, so 22 px
  // on the card is ~7 pt on screen, the smallest size the layout may step down to (card-layout.ts).
  it.each(Object.keys(CARD_CASES))('%s: no text on any card is drawn smaller than 22 px', (name) => {
    for (const page of renderCardPages(templates!, CARD_CASES[name]!())) {
      const sizes = inspectSvg(page.svg).painted.flatMap((item) => (item.type === 'text' ? item.runs.filter((run) => run.text.trim() !== '').map((run) => run.fontSize) : []));
      expect(sizes.length).toBeGreaterThan(0);
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(22);
    }
  });

  it('Batam, twice monthly, 3 services: one card, rows folded, the closed day between service days', () => {
    const pages = renderCardPages(templates!, batamTwiceMonthly());
    expect(pages).toHaveLength(1);
    const texts = textsOf(pages[0]!.svg);
    const labels = ['Sen–Kam, 4–7 Jan', 'Jum, 8 Jan', 'Sen, 11 Jan', 'Sel, 12 Jan', 'Rab–Kam, 13–14 Jan', 'Jum, 15 Jan', 'Sen–Sel, 18–19 Jan', 'Total'];
    expect(texts.filter((t) => labels.includes(t))).toEqual(labels);
    expect(texts).toContain('Tutup: Libur Daerah');
    // Totals over the 11 service days, two of them Fridays: 200×9 + 150×2, 35×11, 50×9 + 30×2.
    expect(texts).toEqual(expect.arrayContaining(['2.100', '385', '510']));
  });

  it('Makassar, monthly, 4 services, WITA, long name and booking text: one card, footer and how-to fit', () => {
    const [card] = renderCardPages(templates!, makassarMonthly());
    const texts = textsOf(card!.svg);
    expect(texts).toContain('08.00 WITA');
    expect(texts.join(' ')).toContain('Daftar GRATIS hanya melalui aplikasi M-Paspor (unduh di Play Store atau App Store)'.split(' ').slice(0, 6).join(' '));
    const weekly = aPost({ kind: 'digest', template: 'weekly', office: makassarMonthly().facts.office });
    const howTo = renderCardPages(templates!, weekly)[1]!;
    const howToText = textsOf(howTo.svg).join(' ');
    expect(howToText).not.toMatch(/aplikasi resmi aplikasi/i);
    expect(howToText).toContain('aplikasi M-Paspor (unduh di Play Store atau App Store)'.split(' ').slice(0, 4).join(' '));
  });

  it('six services, 31 different days, 99.999 a day: three cards, rows in date order, Total only on the last', () => {
    const post = sixServicesMonth();
    const pages = renderCardPages(templates!, post);
    expect(pages).toHaveLength(3);
    const views = cardViews(buildRenderContext(post) as never, fonts);
    expect(views.map((v) => [v.page, v.pages, v.table!.total !== null])).toEqual([
      [1, 3, false],
      [2, 3, false],
      [3, 3, true],
    ]);
    const labels = views.flatMap((v) => v.table!.rows.map((r) => r.label));
    expect(labels).toHaveLength(31);
    expect(labels[0]).toMatch(/1 Mar$/);
    expect(labels[30]).toMatch(/31 Mar$/);
    expect(pages[1]!.alt).toMatch(/gambar 2 dari 3/);
    expect(textsOf(pages[0]!.svg)).toContain('Bersambung di gambar berikutnya (1/3) ›');
    // Reguler over 31 days: Σ (99.999 − 7d) = 3.096.714, on the last card only.
    expect(textsOf(pages[2]!.svg)).toContain('3.096.714');
    expect(textsOf(pages[0]!.svg)).not.toContain('3.096.714');
  });

  it('many long hashtags stay on one footer line, cut with "…"', () => {
    const post = batamTwiceMonthly();
    post.facts.office.info.hashtags = ['KantorImigrasiBatamKepulauanRiau', 'PasporElektronikBatam', 'AntreanPasporOnline', 'MPasporIndonesia', 'ImigrasiKepri'];
    const texts = textsOf(renderCardPages(templates!, post)[0]!.svg);
    expect(texts.find((t) => t.startsWith('#KantorImigrasiBatam'))).toMatch(/…$/);
  });

  it('one service on one day in WIT: the largest row size, one card', () => {
    const post = oneServiceOneDay();
    const [view] = cardViews(buildRenderContext(post) as never, fonts);
    expect(view!.table!.size.row).toBe(36);
    const texts = textsOf(renderCardPages(templates!, post)[0]!.svg);
    expect(texts).toEqual(expect.arrayContaining(['Sen, 8 Mar', '99.999', '15.00 WIT']));
  });

  it.each([1, 2, 3, 4, 5, 6])('%i service(s) over 1–31 distinct days with counts up to 99.999 always fit', (services) => {
    for (const days of [1, 2, 7, 10, 15, 21, 31]) {
      const list = Array.from({ length: services }, (_, i) => ({ id: `s${i}`, name: `Layanan Paspor Nomor ${i + 1}`, shortName: `Lay ${i + 1}` }));
      const release = aRelease({
        days: Array.from({ length: days }, (_, d) => ({ date: addDays('2027-03-01', d), quota: Object.fromEntries(list.map((s, i) => [s.id, 99_999 - d - i])) })),
        removedDays: [],
      });
      const post = aPost({ facts: { services: list, release } });
      const pages = renderCardPages(templates!, post);
      expect([services, days, pages.length <= 3]).toEqual([services, days, true]);
    }
  });

  it('weekly badge says PEKAN DEPAN on the Sunday before, PEKAN INI on the Monday, dates otherwise', () => {
    const badge = (dueAt: string): string => textsOf(renderCardPages(templates!, { ...weeklyTwoServices(), dueAt: new Date(dueAt) })[0]!.svg).find((t) => t.startsWith('JADWAL KUOTA'))!;
    expect(badge('2026-12-20T11:00:00.000Z')).toBe('JADWAL KUOTA PEKAN DEPAN');
    expect(badge('2026-12-21T01:00:00.000Z')).toBe('JADWAL KUOTA PEKAN INI');
    expect(badge('2026-12-10T01:00:00.000Z')).toBe('JADWAL KUOTA 21–27 DES 2026');
  });

  it('an empty week says there is no quota and names the next opening', () => {
    const texts = textsOf(renderCardPages(templates!, emptyWeek())[0]!.svg);
    expect(texts).toEqual(expect.arrayContaining(['Tidak ada kuota', 'pekan ini', 'Pembukaan kuota berikutnya', 'Jumat, 12 Maret 2027', 'pukul 14.00 WIB']));
    const none = emptyWeek();
    none.facts.digest!.nextOpening = undefined;
    expect(textsOf(renderCardPages(templates!, none)[0]!.svg)).toEqual(expect.arrayContaining(['Tidak ada kuota', 'belum diumumkan.']));
  });
});

describe('render/card layout: corrections', () => {
  it('lists at most five changed counts and counts the rest, within the card', () => {
    const before = aRelease({
      days: Array.from({ length: 20 }, (_, d) => ({ date: addDays('2027-03-01', d), quota: { reguler: 120, percepatan: 20 } })),
      removedDays: [],
    });
    const after = { ...before, opensAt: '2026-12-18T08:00:00.000Z', days: before.days.map((d) => ({ ...d, quota: { reguler: 99_999, percepatan: 10 } })) };
    const post = aPost({ kind: 'correction', template: 'correction', facts: { previous: before, release: after } });
    const texts = textsOf(renderCardPages(templates!, post)[0]!.svg);
    expect(texts).toContain('dan 35 perubahan lainnya (lihat keterangan)');
    expect(texts.filter((t) => t.includes('›') && /\d$/.test(t))).toHaveLength(6);
  });
});

describe('render/card layout: the longest texts the config accepts', () => {
  it('fits office name 100, short name 40, six services named 50/20, booking 80, 5 hashtags of 30, note 200, closure reason 100', () => {
    const name = (n: number, word: string): string => `${word} `.repeat(n).slice(0, n).trim().padEnd(n, 'x');
    const services = Array.from({ length: 6 }, (_, i) => ({ id: `s${i}`, name: name(50, `Layanan${i}`), shortName: name(20, `Pendek${i}`) }));
    const office = {
      name: name(100, 'Kantor Imigrasi'),
      shortName: name(40, 'Imigrasi'),
      info: { bookingChannel: name(80, 'aplikasi M-Paspor'), hashtags: Array.from({ length: 5 }, (_, i) => `#${name(29, `Tagar${i}`).replace(/ /g, '')}`) },
    };
    const days = Array.from({ length: 22 }, (_, d) => ({ date: addDays('2027-03-01', d), quota: Object.fromEntries(services.map((s, i) => [s.id, 99_999 - d - i])) }));
    const release = aRelease({ days, removedDays: [{ date: '2027-03-23', reason: name(100, 'Penutupan sementara'), kind: 'closure' }], note: name(200, 'Catatan panjang'), cancelReason: name(200, 'Alasan') });
    for (const [kind, template] of [['announcement', 'h-1'], ['announcement', 'opening'], ['cancellation', 'cancellation'], ['digest', 'weekly']] as const) {
      const post = aPost({ kind, template, office: office as never, facts: { services, release: kind === 'cancellation' ? { ...release, status: 'cancelled' } : release } });
      expect([template, renderCardPages(templates!, post).length <= 4]).toEqual([template, true]);
    }
  });
});
