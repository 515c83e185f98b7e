/**
 * Links and hashtags in a Bluesky post are facets: ranges of the text in
 * UTF-8 BYTE offsets (start inclusive, end exclusive) with a feature
 * (docs.bsky.app "Links, mentions, and rich text"). A URL without a facet
 * stays plain text. Detection follows @atproto/api's
 * `detectFacetsWithoutResolution` (links after start, space or `(`; one
 * trailing `.,;:!?` and an unmatched `)` dropped; tags `#word` not all digits,
 * at most 64 graphemes, trailing punctuation dropped), with bare domains found
 * by the same pattern `check` uses (text-length.ts URL_PATTERN). Mentions are
 * not detected: they need a DID lookup, and captions do not mention anyone.
 */
import { URL_PATTERN } from '../text-length';

export interface Facet {
  index: { byteStart: number; byteEnd: number };
  features: ({ $type: 'app.bsky.richtext.facet#link'; uri: string } | { $type: 'app.bsky.richtext.facet#tag'; tag: string })[];
}

// The classes list invisible separators (ZWJ, combining keycap) one by one, on purpose.
// eslint-disable-next-line no-misleading-character-class
const TAG = /(^|\s)[#＃]((?!\ufe0f)[^\s\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2]*[^\d\s\p{P}\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2]+[^\s\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2]*)?/gu;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The facets of `text` (send exactly this string: offsets are bytes of it). */
export function detectFacets(text: string): Facet[] {
  const facets: Facet[] = [];
  const bytesBefore = (index: number): number => Buffer.byteLength(text.slice(0, index), 'utf8');
  const add = (start: number, end: number, feature: Facet['features'][number]): void => {
    facets.push({ index: { byteStart: bytesBefore(start), byteEnd: bytesBefore(end) }, features: [feature] });
  };

  // Full http(s) links whatever their domain, then bare domains with a known ending.
  const candidates = [...text.matchAll(/https?:\/\/[^\s]+/gi), ...text.matchAll(new RegExp(URL_PATTERN.source, 'gi'))];
  const taken: [number, number][] = [];
  for (const match of candidates) {
    const start = match.index;
    if (taken.some(([from, to]) => start >= from && start < to)) continue;
    const before = start === 0 ? '' : text[start - 1]!;
    if (before !== '' && !/[\s(]/u.test(before)) continue; // part of an e-mail address or a longer word
    let link = match[0];
    taken.push([start, start + link.length]);
    if (/[.,;:!?]$/.test(link)) link = link.slice(0, -1);
    if (link.endsWith(')') && !link.includes('(')) link = link.slice(0, -1);
    const uri = /^https?:\/\//i.test(link) ? link : `https://${link}`;
    add(start, start + link.length, { $type: 'app.bsky.richtext.facet#link', uri });
  }

  for (const match of text.matchAll(TAG)) {
    const leading = match[1] ?? '';
    let tag = match[2];
    if (!tag) continue;
    tag = tag.trim().replace(/\p{P}+$/u, '');
    if (tag.length === 0 || [...graphemes.segment(tag)].length > 64) continue;
    const start = match.index + leading.length;
    add(start, start + 1 + tag.length, { $type: 'app.bsky.richtext.facet#tag', tag });
  }
  return facets.sort((a, b) => a.index.byteStart - b.index.byteStart);
}
