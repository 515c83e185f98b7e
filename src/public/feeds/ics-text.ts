/**
 * The lexical rules of iCalendar (RFC 5545 §3.1, §3.3.11) that generators get
 * wrong: TEXT escaping, line folding at 75 octets (octets of UTF-8, not
 * characters: an Indonesian caption with "—" or an emoji must never be cut
 * inside a character, or a strict parser rejects the whole calendar), CRLF
 * line ends, and UTC date-times.
 */

/** Escapes a TEXT value: backslash, semicolon, comma and line breaks; other control characters are dropped (TEXT may not hold them). */
export function escapeText(value: string): string {
  return value
    .replace(/\r\n|\r/g, '\n')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what TEXT forbids
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/[\\;,\n]/g, (char) => (char === '\n' ? '\\n' : `\\${char}`));
}

const MAX_OCTETS = 75;

/**
 * One content line folded as RFC 5545 §3.1 asks: at most 75 octets per line,
 * each continuation starting with one space (which counts towards its 75),
 * split only between UTF-8 characters. Returns the line with CRLF ends.
 */
export function foldLine(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= MAX_OCTETS) return `${line}\r\n`;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  // for…of walks code points: a surrogate pair (an emoji) is one character of 4 octets, never split.
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    const limit = parts.length === 0 ? MAX_OCTETS : MAX_OCTETS - 1;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return `${parts.join('\r\n ')}\r\n`;
}

/** `20261211T070000Z`: a DATE-TIME in UTC (form #2), exact whatever zone the reader is in. */
export function formatUtcDateTime(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}/, '').replace(/[-:]/g, '');
}

/** A property line: `NAME;PARAM=V:value`, folded. The value must already be in its type's form (escapeText for TEXT). */
export function contentLine(name: string, value: string, params: Readonly<Record<string, string>> = {}): string {
  const paramText = Object.entries(params)
    .map(([key, param]) => `;${key}=${param}`)
    .join('');
  return foldLine(`${name}${paramText}:${value}`);
}
