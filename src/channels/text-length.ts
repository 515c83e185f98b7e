/**
 * Counting caption length the way each platform does.
 *
 * X counts "weighted" characters after NFC normalisation (twitter-text config
 * v3): code points in a few Latin/punctuation ranges weigh 1, everything else
 * (CJK, emoji) weighs 2, and every URL weighs 23 whatever its length. Emoji
 * sequences are counted per code point here, which over-counts some ZWJ
 * sequences: the safe side for a limit.
 */
const LIGHT_RANGES: [number, number][] = [
  [0, 4351],
  [8192, 8205],
  [8208, 8223],
  [8242, 8247],
];

/** http(s) URLs and bare domains X would link (and charge for): `imigrasi.go.id`, `www.x.com/path`. */
export const URL_PATTERN =
  /\b(?:https?:\/\/)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|net|org|id|go\.id|co\.id|info|io|me|app|gov|edu|ly|co|xyz|de|uk|us)\b(?:\/[^\s]*)?/gi;

export function findUrls(text: string): string[] {
  return text.normalize('NFC').match(URL_PATTERN) ?? [];
}

export function countXWeighted(text: string): number {
  const normalized = text.normalize('NFC');
  let total = 0;
  let rest = normalized;
  for (const url of findUrls(normalized)) {
    total += 23;
    rest = rest.replace(url, '');
  }
  for (const char of rest) {
    const code = char.codePointAt(0)!;
    total += LIGHT_RANGES.some(([lo, hi]) => code >= lo && code <= hi) ? 1 : 2;
  }
  return total;
}

/** Instagram and most others count characters as code points. */
export function countCodePoints(text: string): number {
  return [...text.normalize('NFC')].length;
}

export function countHashtags(text: string): number {
  return (text.match(/(^|\s)#[\p{L}\p{N}_]+/gu) ?? []).length;
}

export function countMentions(text: string): number {
  return (text.match(/(^|\s)@[A-Za-z0-9._]+/g) ?? []).length;
}

/** A caption's length as `platform` counts it: X weighted, everyone else code points. */
export function countForPlatform(text: string, platform: string): number {
  return platform === 'x' ? countXWeighted(text) : countCodePoints(text);
}
