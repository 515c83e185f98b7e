/**
 * A status's `content` is HTML (paragraphs in <p>, line breaks as <br>, each
 * link an <a> around spans that together hold the whole URL). Read-back
 * matching (reconcile-match.ts) compares plain text with what we sent, so the
 * HTML goes back to text: breaks and paragraphs become newlines, every other
 * tag is dropped (keeping its text: the hidden `https://` span is part of the
 * URL we wrote), entities are decoded.
 */

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function statusHtmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/p>\s*<p[^>]*>/gi, '\n\n')
      .replace(/<\/?p[^>]*>/gi, '')
      .replace(/<[^>]*>/g, ''),
  ).trim();
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return codePoint(parseInt(name.slice(2), 16), entity);
    if (name.startsWith('#')) return codePoint(parseInt(name.slice(1), 10), entity);
    return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
  });
}

function codePoint(code: number, fallback: string): string {
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}
