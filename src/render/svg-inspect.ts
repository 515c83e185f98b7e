/**
 * A small, strict XML reader for the SVG a card template produced. librsvg
 * would reject a broken SVG with a vague message; this one says what and where
 * (line:col of the rendered SVG) and collects what must be checked before
 * rasterising: the text that will be drawn and the fonts it asks for.
 */

export interface SvgFacts {
  width: string | null;
  height: string | null;
  /** Text content of <text>, <tspan> and <textPath>, entities decoded. */
  texts: string[];
  /** Every font-family value (attribute, style attribute, <style> sheet). */
  fontFamilies: string[];
  fontWeights: string[];
  /** What is painted, in paint order: filled boxes (rect, circle) and lines of text, for the layout checks (card-geometry.ts). */
  painted: Painted[];
}

/** A filled box: a <rect> or the bounding box of a <circle>, in card coordinates. */
export interface PaintedBox {
  type: 'box';
  x: number;
  y: number;
  width: number;
  height: number;
  fill: string | null;
  /** `verify-qr`: the white box of the verification QR code (`data-verify="qr"`, partials/verify-qr.hbs), which nothing may cover. */
  role?: 'verify-qr';
}

/** One run of text with one style, inside a line. */
export interface TextRun {
  text: string;
  fontSize: number;
  fontWeight: string;
  letterSpacing: number;
  fill: string | null;
}

/** One line of text: a <text>, or a <tspan> that sets its own x or y, with the runs drawn after it. */
export interface PaintedText {
  type: 'text';
  x: number;
  y: number;
  anchor: 'start' | 'middle' | 'end';
  runs: TextRun[];
}

export type Painted = PaintedBox | PaintedText;

/** Presentation attributes that inherit, and the translation in force. */
interface Frame {
  name: string;
  tx: number;
  ty: number;
  fontSize: number;
  fontWeight: string;
  letterSpacing: number;
  fill: string | null;
  anchor: PaintedText['anchor'];
}

function translateOf(transform: string | undefined): [number, number] {
  const m = /translate\(\s*(-?[\d.]+)(?:[\s,]+(-?[\d.]+))?\s*\)/.exec(transform ?? '');
  return m ? [Number(m[1]), Number(m[2] ?? 0)] : [0, 0];
}

function length(value: string | undefined, whole: number, fallback = 0): number {
  if (value === undefined) return fallback;
  if (value.endsWith('%')) return (Number(value.slice(0, -1)) / 100) * whole;
  const n = Number(value.replace(/px$/, ''));
  return Number.isFinite(n) ? n : fallback;
}

export class SvgSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly col: number,
  ) {
    super(`${message} (line ${line}, column ${col} of the rendered SVG)`);
    this.name = 'SvgSyntaxError';
  }
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const TEXT_ELEMENTS = new Set(['text', 'tspan', 'textPath']);
const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;

/** Parses `svg` (throws SvgSyntaxError) and returns the facts the card checks need. */
export function inspectSvg(svg: string): SvgFacts {
  let pos = 0;
  const fail = (message: string, at = pos): never => {
    const before = svg.slice(0, at).split('\n');
    throw new SvgSyntaxError(message, before.length, before[before.length - 1]!.length + 1);
  };
  const decode = (raw: string, at: number): string =>
    raw.replace(/&([^;&\s]*);?/g, (match, name: string) => {
      if (!match.endsWith(';')) fail('"&" must be written as "&amp;"', at);
      if (name.startsWith('#x') && /^#x[0-9A-Fa-f]+$/.test(name)) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (/^#\d+$/.test(name)) return String.fromCodePoint(Number(name.slice(1)));
      const value = NAMED_ENTITIES[name];
      if (value === undefined) fail(`unknown entity "&${name};"`, at);
      return value!;
    });

  const facts: SvgFacts = { width: null, height: null, texts: [], fontFamilies: [], fontWeights: [], painted: [] };
  const stack: string[] = [];
  const frames: Frame[] = [{ name: '', tx: 0, ty: 0, fontSize: 16, fontWeight: '400', letterSpacing: 0, fill: '#000000', anchor: 'start' }];
  let line: PaintedText | null = null;
  /** Current text position (for a <tspan> with only dy). */
  let cursor = { x: 0, y: 0 };
  const addRun = (text: string): void => {
    const frame = frames[frames.length - 1]!;
    if (!line) return;
    line.runs.push({ text, fontSize: frame.fontSize, fontWeight: frame.fontWeight, letterSpacing: frame.letterSpacing, fill: frame.fill });
  };
  const openFrame = (name: string, attrs: Map<string, string>): void => {
    const parent = frames[frames.length - 1]!;
    const [dx, dy] = translateOf(attrs.get('transform'));
    const anchor = attrs.get('text-anchor');
    frames.push({
      name,
      tx: parent.tx + dx,
      ty: parent.ty + dy,
      fontSize: length(attrs.get('font-size'), parent.fontSize, parent.fontSize),
      fontWeight: attrs.get('font-weight') ?? parent.fontWeight,
      letterSpacing: length(attrs.get('letter-spacing'), 0, parent.letterSpacing),
      fill: attrs.get('fill') ?? parent.fill,
      anchor: anchor === 'middle' || anchor === 'end' || anchor === 'start' ? anchor : parent.anchor,
    });
    const frame = frames[frames.length - 1]!;
    if (name === 'rect') {
      const x = length(attrs.get('x'), 1080) + frame.tx;
      const y = length(attrs.get('y'), 1350) + frame.ty;
      const box: PaintedBox = { type: 'box', x, y, width: length(attrs.get('width'), 1080), height: length(attrs.get('height'), 1350), fill: attrs.get('fill') ?? null };
      if (attrs.get('data-verify') === 'qr') box.role = 'verify-qr';
      facts.painted.push(box);
    } else if (name === 'circle') {
      const r = length(attrs.get('r'), 0);
      const cx = length(attrs.get('cx'), 1080) + frame.tx;
      const cy = length(attrs.get('cy'), 1350) + frame.ty;
      facts.painted.push({ type: 'box', x: cx - r, y: cy - r, width: 2 * r, height: 2 * r, fill: attrs.get('fill') ?? null });
    } else if (name === 'text' || name === 'tspan') {
      const hasX = attrs.has('x');
      const hasY = attrs.has('y') || attrs.has('dy');
      if (name === 'text' || hasX || hasY) {
        const x = hasX ? length(attrs.get('x'), 1080) + frame.tx : cursor.x;
        const y = attrs.has('y') ? length(attrs.get('y'), 1350) + frame.ty : cursor.y + length(attrs.get('dy'), 0);
        cursor = { x, y };
        line = { type: 'text', x, y, anchor: frame.anchor, runs: [] };
        facts.painted.push(line);
      }
    }
  };
  const closeFrame = (): void => {
    const frame = frames.pop();
    if (frame?.name === 'text') line = null;
  };
  let rootSeen = false;
  const collectStyle = (css: string): void => {
    for (const m of css.matchAll(/font-family\s*:\s*([^;}]+)/g)) facts.fontFamilies.push(m[1]!.trim());
    for (const m of css.matchAll(/font-weight\s*:\s*([^;}]+)/g)) facts.fontWeights.push(m[1]!.trim());
  };

  while (pos < svg.length) {
    if (svg.startsWith('<!--', pos)) {
      const end = svg.indexOf('-->', pos + 4);
      if (end < 0) fail('comment is not closed with "-->"');
      pos = end + 3;
    } else if (svg.startsWith('<?', pos)) {
      const end = svg.indexOf('?>', pos);
      if (end < 0) fail('processing instruction is not closed with "?>"');
      pos = end + 2;
    } else if (svg.startsWith('<!DOCTYPE', pos)) {
      if (svg.slice(pos, svg.indexOf('>', pos)).includes('[')) fail('DOCTYPE with internal entities is not allowed');
      pos = svg.indexOf('>', pos) + 1;
      if (pos === 0) fail('DOCTYPE is not closed');
    } else if (svg.startsWith('<![CDATA[', pos)) {
      const end = svg.indexOf(']]>', pos);
      if (end < 0) fail('CDATA is not closed with "]]>"');
      const content = svg.slice(pos + 9, end);
      const parent = stack[stack.length - 1];
      if (parent && TEXT_ELEMENTS.has(parent)) {
        facts.texts.push(content);
        addRun(content);
      }
      if (parent === 'style') collectStyle(content);
      pos = end + 3;
    } else if (svg.startsWith('</', pos)) {
      NAME.lastIndex = pos + 2;
      const match = NAME.exec(svg);
      if (!match) fail('expected an element name after "</"');
      const name = match![0];
      const expected = stack.pop();
      if (expected !== name) fail(expected ? `</${name}> closes <${expected}>` : `</${name}> has no opening tag`);
      closeFrame();
      pos = NAME.lastIndex;
      while (/\s/.test(svg[pos] ?? '')) pos++;
      if (svg[pos] !== '>') fail(`expected ">" to end </${name}>`);
      pos++;
    } else if (svg[pos] === '<') {
      const start = pos;
      NAME.lastIndex = pos + 1;
      const match = NAME.exec(svg);
      if (!match) fail('"<" must be written as "&lt;"');
      const name = match![0];
      if (stack.length === 0) {
        if (rootSeen) fail('only one root element is allowed');
        if (name !== 'svg') fail(`the root element must be <svg>, not <${name}>`);
        rootSeen = true;
      }
      pos = NAME.lastIndex;
      const attrs = new Map<string, string>();
      for (;;) {
        const spaceStart = pos;
        while (/\s/.test(svg[pos] ?? '')) pos++;
        if (svg.startsWith('/>', pos) || svg[pos] === '>') break;
        if (pos === spaceStart) fail(`expected a space, ">" or "/>" in <${name}>`);
        NAME.lastIndex = pos;
        const attr = NAME.exec(svg);
        if (!attr) fail(`bad attribute in <${name}>`);
        pos = NAME.lastIndex;
        while (/\s/.test(svg[pos] ?? '')) pos++;
        if (svg[pos] !== '=') fail(`attribute "${attr![0]}" in <${name}> needs a value`);
        pos++;
        while (/\s/.test(svg[pos] ?? '')) pos++;
        const quote = svg[pos];
        if (quote !== '"' && quote !== "'") fail(`the value of "${attr![0]}" in <${name}> must be quoted`);
        const end = svg.indexOf(quote!, pos + 1);
        if (end < 0) fail(`the value of "${attr![0]}" is not closed`);
        const raw = svg.slice(pos + 1, end);
        if (raw.includes('<')) fail(`"<" in the value of "${attr![0]}" must be written as "&lt;"`);
        if (attrs.has(attr![0])) fail(`attribute "${attr![0]}" appears twice in <${name}>`);
        attrs.set(attr![0], decode(raw, pos));
        pos = end + 1;
      }
      if (attrs.has('font-family')) facts.fontFamilies.push(attrs.get('font-family')!);
      if (attrs.has('font-weight')) facts.fontWeights.push(attrs.get('font-weight')!);
      if (attrs.has('style')) collectStyle(attrs.get('style')!);
      if (name === 'svg' && stack.length === 0) {
        facts.width = attrs.get('width') ?? null;
        facts.height = attrs.get('height') ?? null;
      }
      openFrame(name, attrs);
      if (svg.startsWith('/>', pos)) {
        pos += 2;
        closeFrame();
      } else {
        pos++;
        stack.push(name);
      }
      if (stack.length === 0 && !rootSeen) fail('no <svg> root element', start);
    } else {
      const next = svg.indexOf('<', pos);
      const end = next < 0 ? svg.length : next;
      const raw = svg.slice(pos, end);
      if (stack.length === 0) {
        if (raw.trim() !== '') fail('text outside the <svg> element');
      } else {
        const text = decode(raw, pos);
        const parent = stack[stack.length - 1]!;
        if (TEXT_ELEMENTS.has(parent)) {
          facts.texts.push(text);
          addRun(text);
        }
        if (parent === 'style') collectStyle(text);
      }
      pos = end;
    }
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1]}> is never closed`);
  if (!rootSeen) fail('no <svg> root element');
  return facts;
}
