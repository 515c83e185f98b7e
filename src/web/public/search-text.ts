/**
 * Matching what a visitor types against office names and cities: case and
 * accents do not matter (`pontianak` finds "PONTIANAK", `bulu` "Bulú"), and
 * neither do repeated spaces or punctuation between words.
 */

/** The form both sides are compared in. */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase('id-ID')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Whether every word of `query` is found in one of `fields` (an empty query matches everything). */
export function matchesSearch(query: string, fields: readonly string[]): boolean {
  const words = foldForSearch(query).split(' ').filter((word) => word.length > 0);
  if (words.length === 0) return true;
  const haystack = fields.map(foldForSearch).join(' | ');
  return words.every((word) => haystack.includes(word));
}
