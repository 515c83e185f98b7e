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

  const facts: SvgFacts = { width: null, height: null, texts: [], fontFamilies: [], fontWeights: [] };
  const stack: string[] = [];
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
      if (parent && TEXT_ELEMENTS.has(parent)) facts.texts.push(content);
      if (parent === 'style') collectStyle(content);
      pos = end + 3;
    } else if (svg.startsWith('</', pos)) {
      NAME.lastIndex = pos + 2;
      const match = NAME.exec(svg);
      if (!match) fail('expected an element name after "</"');
      const name = match![0];
      const expected = stack.pop();
      if (expected !== name) fail(expected ? `</${name}> closes <${expected}>` : `</${name}> has no opening tag`);
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
      if (svg.startsWith('/>', pos)) {
        pos += 2;
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
        if (TEXT_ELEMENTS.has(parent)) facts.texts.push(text);
        if (parent === 'style') collectStyle(text);
      }
      pos = end;
    }
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1]}> is never closed`);
  if (!rootSeen) fail('no <svg> root element');
  return facts;
}
