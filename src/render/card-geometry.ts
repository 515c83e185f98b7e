/**
 * What the public will see: every line of text on a rendered card measured
 * with the card font (font-size, weight, letter-spacing, text-anchor,
 * translate) and checked against the card, the panel it sits on, the other
 * text and its background colour. The SVG is measured as drawn, not as the
 * layout meant it, so a custom template that lets the Total slip under the
 * footer is caught too.
 */
import type { FontSet } from './fonts';
import type { Painted, PaintedBox, PaintedText } from './svg-inspect';

/** WCAG 2 AA for normal text. */
export const MIN_CONTRAST = 4.5;

/** Ascent of capitals and digits, and the descent of g/j/p/q/y, in em (Noto Sans). */
const ASCENT = 0.74;
const DESCENT = 0.24;
/** Boxes may touch: anti-aliasing and rounding make a pixel of slack honest. */
const SLACK = 1.5;

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface MeasuredLine {
  text: string;
  box: Box;
  line: PaintedText;
}

/** Whitespace as SVG's default `xml:space` draws it: newlines dropped, runs of spaces collapsed, ends trimmed. */
function normalisedRuns(line: PaintedText): { text: string; run: PaintedText['runs'][number] }[] {
  const runs = line.runs.map((run) => ({ run, text: run.text.replace(/[\r\n]/g, '').replace(/\t/g, ' ').replace(/ {2,}/g, ' ') }));
  let joined = '';
  for (const item of runs) {
    if (joined.endsWith(' ') || joined === '') item.text = item.text.replace(/^ +/, '');
    joined += item.text;
  }
  for (let i = runs.length - 1; i >= 0; i--) {
    runs[i]!.text = runs[i]!.text.replace(/ +$/, '');
    if (runs[i]!.text !== '') break;
  }
  return runs.filter((item) => item.text !== '');
}

function weightOf(value: string): number {
  if (value === 'bold') return 700;
  if (value === 'normal') return 400;
  const n = Number(value);
  return Number.isFinite(n) ? n : 400;
}

/** The ink box of every non-empty line of text. */
export function measureLines(painted: readonly Painted[], fonts: FontSet): MeasuredLine[] {
  const lines: MeasuredLine[] = [];
  for (const item of painted) {
    if (item.type !== 'text') continue;
    const runs = normalisedRuns(item);
    if (runs.length === 0) continue;
    let width = 0;
    let size = 0;
    let descends = false;
    for (const { text, run } of runs) {
      width += fonts.measure(text, run.fontSize, weightOf(run.fontWeight)) + run.letterSpacing * [...text].length;
      size = Math.max(size, run.fontSize);
      if (/[gjpqy,;()[\]{}|/_@]/.test(text)) descends = true;
    }
    const x0 = item.anchor === 'start' ? item.x : item.anchor === 'middle' ? item.x - width / 2 : item.x - width;
    lines.push({
      text: runs.map((r) => r.text).join(''),
      box: { x0, x1: x0 + width, y0: item.y - ASCENT * size, y1: item.y + (descends ? DESCENT : 0.02) * size },
      line: item,
    });
  }
  return lines;
}

const boxOf = (b: PaintedBox): Box => ({ x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height });
const contains = (outer: Box, inner: Box): boolean =>
  inner.x0 >= outer.x0 - SLACK && inner.x1 <= outer.x1 + SLACK && inner.y0 >= outer.y0 - SLACK && inner.y1 <= outer.y1 + SLACK;
const intersects = (a: Box, b: Box): boolean =>
  Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > SLACK && Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) > SLACK;
const containsPoint = (b: Box, x: number, y: number): boolean => x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1;

/** sRGB colour of a fill (`#rgb`, `#rrggbb`, white, black), or null when it is not a plain colour. */
export function parseColour(fill: string | null): [number, number, number] | null {
  if (!fill) return null;
  const value = fill.trim().toLowerCase();
  if (value === 'white') return [255, 255, 255];
  if (value === 'black') return [0, 0, 0];
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(value);
  if (short) return [short[1]!, short[2]!, short[3]!].map((h) => parseInt(h + h, 16)) as [number, number, number];
  const long = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/.exec(value);
  if (long) return [long[1]!, long[2]!, long[3]!].map((h) => parseInt(h, 16)) as [number, number, number];
  return null;
}

function luminance([r, g, b]: [number, number, number]): number {
  const channel = (c: number): number => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG 2 contrast ratio of two colours (1–21). */
export function contrastRatio(a: [number, number, number], b: [number, number, number]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const short = (text: string): string => (text.length > 40 ? `${text.slice(0, 39)}…` : text);
const at = (box: Box): string => `x ${Math.round(box.x0)}–${Math.round(box.x1)}, y ${Math.round(box.y0)}–${Math.round(box.y1)}`;

/**
 * Problems a reader would see: text off the card, text crossing the edge of
 * the panel it sits on or hidden under a shape drawn after it, text on top of
 * other text, text too faint for its background. Each message says what and where.
 */
export function checkLayout(painted: readonly Painted[], width: number, height: number, fonts: FontSet): string[] {
  const problems: string[] = [];
  const lines = measureLines(painted, fonts);
  const card: Box = { x0: 0, y0: 0, x1: width, y1: height };
  for (const measured of lines) {
    const { box, text, line } = measured;
    const order = painted.indexOf(line);
    if (!contains(card, box)) {
      problems.push(`text "${short(text)}" runs off the ${width}×${height} card (${at(box)}); shorten it or lay it out smaller.`);
      continue;
    }
    // The panel: the last shape painted before the text under the middle of the text.
    const cx = (box.x0 + box.x1) / 2;
    const cy = (box.y0 + box.y1) / 2;
    let panel: PaintedBox | null = null;
    for (let i = order - 1; i >= 0; i--) {
      const item = painted[i]!;
      // Text on the QR code is reported below, as that.
      if (item.type === 'box' && !item.role && containsPoint(boxOf(item), cx, cy)) {
        panel = item;
        break;
      }
    }
    if (panel && !contains(boxOf(panel), box)) {
      problems.push(`text "${short(text)}" (${at(box)}) runs outside the panel it sits on (${at(boxOf(panel))}).`);
    }
    for (let i = order + 1; i < painted.length; i++) {
      const item = painted[i]!;
      if (item.type === 'box' && !item.role && intersects(boxOf(item), box)) {
        problems.push(`text "${short(text)}" (${at(box)}) is hidden under a shape drawn after it (${at(boxOf(item))}).`);
        break;
      }
    }
    const background = parseColour(panel?.fill ?? null);
    if (background) {
      for (const run of line.runs) {
        const colour = parseColour(run.fill);
        if (!colour || run.text.trim() === '') continue;
        const ratio = contrastRatio(colour, background);
        if (ratio < MIN_CONTRAST) {
          problems.push(
            `text "${short(run.text.trim())}" in ${run.fill} on ${panel!.fill} has a contrast of ${ratio.toFixed(1)}:1, under ${MIN_CONTRAST}:1; use a darker (or lighter) colour.`,
          );
          break;
        }
      }
    }
  }
  problems.push(...checkVerifyQr(painted, lines, card));
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      if (intersects(lines[i]!.box, lines[j]!.box)) {
        problems.push(`text "${short(lines[i]!.text)}" (${at(lines[i]!.box)}) overlaps "${short(lines[j]!.text)}" (${at(lines[j]!.box)}).`);
      }
    }
  }
  return problems;
}

/**
 * The verification QR code (partials/verify-qr.hbs) must stay readable: on the
 * card, with no text on it and no shape over it or under part of it. A phone
 * reads a QR code only whole, quiet zone included, so any overlap counts,
 * whichever is drawn first.
 */
function checkVerifyQr(painted: readonly Painted[], lines: readonly MeasuredLine[], card: Box): string[] {
  const problems: string[] = [];
  const qrText = (box: Box): string => `the verification QR code (${at(box)})`;
  painted.forEach((item, order) => {
    if (item.type !== 'box' || item.role !== 'verify-qr') return;
    const qr = boxOf(item);
    if (!contains(card, qr)) {
      problems.push(`${qrText(qr)} runs off the card; keep {{> verify-qr}} where the shipped footer has it.`);
      return;
    }
    for (const { text, box } of lines) {
      if (intersects(box, qr)) problems.push(`text "${short(text)}" (${at(box)}) overlaps ${qrText(qr)}: a QR code with anything on it cannot be scanned. Move the text out of its box.`);
    }
    painted.forEach((other, index) => {
      if (other === item || other.type !== 'box') return;
      const box = boxOf(other);
      if (!intersects(box, qr)) return;
      if (index > order) problems.push(`a shape (${at(box)}) is drawn over ${qrText(qr)}; a QR code with anything on it cannot be scanned. Move the shape.`);
      else if (!contains(box, qr)) problems.push(`${qrText(qr)} covers part of a shape drawn before it (${at(box)}); move the shape out of its box.`);
    });
  });
  return problems;
}
