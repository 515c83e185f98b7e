/**
 * Where the verification code goes on a card, for offices unlike the sample:
 * the QR code sits in its slot of the footer and the geometry check
 * (card-geometry.ts), which measures the SVG as drawn, finds nothing on it.
 */
import { CARD_CONTEXT_SHAPES, type Shape } from '../../src/render/context-shape';
import { checkCardSvg, renderCardPages } from '../../src/render/card';
import { measureLines } from '../../src/render/card-geometry';
import { FOOT_TEXT, FOOT_TOP, QR_SLOT } from '../../src/render/card-layout';
import { getFontSet } from '../../src/render/fonts';
import { inspectSvg, type PaintedBox } from '../../src/render/svg-inspect';
import { loadTemplates } from '../../src/render/templates';
import { verifyUrl } from '../../src/render/verify-code';
import { cardVerifyView, printedAddress, verifyAddressProblem, verifyView } from '../../src/render/verify-view';
import type { PlannedPost } from '../../src/plan/types';
import { CARD_CASES, makassarMonthly, oneServiceOneDay, sixServicesMonth } from './card-cases';
import { aPost } from './post-builder';
import { SAMPLE_TEMPLATES } from './template-dir';

const fonts = getFontSet();
/** The longest address allowed (verify-qr.ts: QR_MAX_BYTES). */
const LONGEST_BASE = 'https://kuota-antrean-paspor.kanim-singkawang.go.id';

/** Hashtags far wider than the footer: the shipped footer keeps one line of them. */
function manyHashtags(): PlannedPost {
  const post = makassarMonthly();
  post.facts.office.info.hashtags = ['ImigrasiMakassar', 'MPaspor', 'KuotaPasporMakassar', 'PasporSulawesiSelatan', 'AntreanPaspor', 'ImigrasiIndonesia', 'WaspadaCalo', 'LayananPublik'];
  return post;
}

/** A booking text that needs both lines of the footer and more. */
function longestBooking(): PlannedPost {
  const post = oneServiceOneDay();
  post.facts.office.info.bookingChannel = 'aplikasi M-Paspor (unduh di Play Store atau App Store), atau loket pengaduan di lantai 2 gedung pelayanan terpadu';
  return post;
}

const CASES: Record<string, () => PlannedPost> = { ...CARD_CASES, 'many-hashtags': manyHashtags, 'longest-booking-text': longestBooking };

function qrBoxes(svg: string): PaintedBox[] {
  return inspectSvg(svg).painted.filter((item): item is PaintedBox => item.type === 'box' && item.role === 'verify-qr');
}

describe('render/verify-view: the QR code among unlike offices', () => {
  for (const base of ['https://kuota.example.go.id', LONGEST_BASE]) {
    const posts = Object.entries(CASES).map(([name, make]) => [name, make()] as const);
    const uses = [...new Map(posts.map(([, post]) => [post.template, { name: post.template, kind: post.kind, channelIds: [] }])).values()];
    const { templates, problems } = loadTemplates(SAMPLE_TEMPLATES, uses, { publicBaseUrl: base });

    it.each(posts.map(([name]) => name))(`%s, at ${base}: every card has the QR code in its slot and nothing on it`, (name) => {
      expect(problems).toEqual([]);
      const post = posts.find(([n]) => n === name)![1];
      const pages = renderCardPages(templates!, post);
      const url = verifyView(post, base).url!;
      for (const page of pages) {
        expect(checkCardSvg(page.svg, `cards/${post.template}.svg.hbs`)).toEqual([]);
        const [qr, ...more] = qrBoxes(page.svg);
        expect(more).toEqual([]);
        // Against the slot's bottom right, below the footer's top, inside the card.
        expect(qr!.x + qr!.width).toBe(QR_SLOT.right);
        expect(qr!.y + qr!.height).toBe(QR_SLOT.bottom);
        expect(qr!.width).toBe(qr!.height);
        expect(qr!.width).toBeLessThanOrEqual(QR_SLOT.size);
        expect(qr!.y).toBeGreaterThan(FOOT_TOP);
        // Every line of the footer stays in its column, left of the QR code.
        const footer = measureLines(inspectSvg(page.svg).painted, fonts).filter((line) => line.box.y0 > FOOT_TOP);
        expect(footer.length).toBeGreaterThanOrEqual(4);
        for (const line of footer) expect(line.box.x1).toBeLessThanOrEqual(FOOT_TEXT.right);
        expect(footer.map((line) => line.text)).toContain(`cek di ${printedAddress(base)}`);
        expect(page.svg).toContain(`scale(${cardVerifyView(verifyView(post, base)).qr!.module})`);
      }
      expect(url).toBe(verifyUrl(base, verifyView(post, base).code));
    });
  }

  it('the six-service month keeps its three cards and the one-day card its one: the footer moved up without costing a card', () => {
    const uses = [{ name: 'h-1', kind: 'announcement' as const, channelIds: [] }, { name: 'h-60m', kind: 'announcement' as const, channelIds: [] }];
    const { templates } = loadTemplates(SAMPLE_TEMPLATES, uses, { publicBaseUrl: LONGEST_BASE });
    expect(renderCardPages(templates!, sixServicesMonth())).toHaveLength(3);
    expect(renderCardPages(templates!, oneServiceOneDay())).toHaveLength(1);
  });
});

describe('render/verify-view: the view', () => {
  it('gives a card template exactly the verify fields the checker allows it', () => {
    const paths = (shape: Shape, prefix: string): string[] =>
      shape.t === 'object' ? Object.entries(shape.fields).flatMap(([key, child]) => paths(child, `${prefix}.${key}`)) : [prefix];
    const valuePaths = (value: unknown, prefix: string): string[] =>
      value !== null && typeof value === 'object' ? Object.entries(value).flatMap(([key, child]) => valuePaths(child, `${prefix}.${key}`)) : [prefix];
    const allowed = paths((CARD_CONTEXT_SHAPES.announcement as { fields: Record<string, Shape> }).fields.verify!, 'verify').sort();
    expect(valuePaths(cardVerifyView(verifyView(aPost(), 'https://kuota.example.go.id')), 'verify').sort()).toEqual(allowed);
  });

  it('prints the address without its scheme and trailing slash, and nothing without an address', () => {
    expect(printedAddress('https://kuota.example.go.id/')).toBe('kuota.example.go.id');
    expect(printedAddress('http://127.0.0.1:8080/kuota')).toBe('127.0.0.1:8080/kuota');
    expect(verifyView(aPost(), null)).toEqual({ code: expect.stringMatching(/^[0-9A-Z]{8}$/), codeLabel: expect.stringMatching(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/), url: null, address: null });
    expect(cardVerifyView(verifyView(aPost(), null)).qr).toBeNull();
  });

  it('refuses an address too long for the QR code or too wide for the footer, saying how long it may be', () => {
    expect(verifyAddressProblem(LONGEST_BASE, fonts)).toBeNull();
    expect(verifyAddressProblem(`${LONGEST_BASE}x`, fonts)).toMatch(/too long for the QR code on the cards \(52 characters, at most 51\).*shorter host name or path/);
    // As many bytes as allowed, in the widest letters: the QR code fits, the printed address does not.
    expect(verifyAddressProblem(`https://${'W'.repeat(43)}`, fonts)).toMatch(/too wide to print on the cards \("cek di W+" is \d+ px at 22 px, the footer has 707 px\)/);
  });
});
