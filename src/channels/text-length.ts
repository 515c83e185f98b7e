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

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** User-perceived characters (Bluesky, Mastodon): an emoji with its modifiers is one. */
export function countGraphemes(text: string): number {
  let total = 0;
  for (const segment of graphemes.segment(text.normalize('NFC'))) {
    void segment;
    total += 1;
  }
  return total;
}

/** UTF-8 bytes (Threads counts these; Bluesky limits them besides graphemes). */
export function countUtf8Bytes(text: string): number {
  return Buffer.byteLength(text.normalize('NFC'), 'utf8');
}

/** UTF-16 code units (JavaScript's `length`): never fewer than code points (Telegram). */
export function countUtf16Units(text: string): number {
  return text.normalize('NFC').length;
}

/**
 * Punctuation that ends a sentence rather than a link: Mastodon's link
 * extractor (twitter-text's) leaves it out of the URL, so it counts as text.
 */
const URL_TRAILING_PUNCTUATION = /[.,:;!?'"’”)\]}>]+$/;

/** Mastodon: graphemes, every http(s) link counted as 23 whatever its length (trailing punctuation is text). */
export function countMastodon(text: string): number {
  const normalized = text.normalize('NFC');
  let total = 0;
  const rest = normalized.replace(/https?:\/\/[^\s]+/g, (url) => {
    total += 23;
    return URL_TRAILING_PUNCTUATION.exec(url)?.[0] ?? '';
  });
  return total + countGraphemes(rest);
}

/** How the console labels a caption's count: which unit the platform counts in. */
export type CaptionUnit = 'weighted' | 'characters' | 'bytes' | 'utf16' | 'graphemes' | 'mastodon';

export function captionUnit(platform: string): CaptionUnit {
  switch (platform) {
    case 'x':
      return 'weighted';
    case 'threads':
      return 'bytes';
    case 'telegram':
      return 'utf16';
    case 'bluesky':
      return 'graphemes';
    case 'mastodon':
      return 'mastodon';
    default:
      return 'characters';
  }
}

/** What each platform counts, for messages: "caption is 512 UTF-8 bytes". */
export const COUNT_UNITS: Readonly<Record<string, string>> = {
  x: 'characters (weighted as X counts them)',
  threads: 'UTF-8 bytes (as Threads counts them)',
  bluesky: 'characters (graphemes, as Bluesky counts them)',
  mastodon: 'characters (as Mastodon counts them, each link as 23)',
  telegram: 'UTF-16 units (emoji count 2)',
};

/** A caption's length as `platform` counts it; everyone not listed counts code points. */
export function countForPlatform(text: string, platform: string): number {
  switch (platform) {
    case 'x':
      return countXWeighted(text);
    case 'threads':
      return countUtf8Bytes(text);
    case 'bluesky':
      return countGraphemes(text);
    case 'mastodon':
      return countMastodon(text);
    case 'telegram':
      return countUtf16Units(text);
    default:
      return countCodePoints(text);
  }
}
