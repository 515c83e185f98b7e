/**
 * Reads an Atom document with an independent parser (fast-xml-parser) and
 * checks what RFC 4287 requires of it, so each feed test also proves the
 * document is one a feed reader accepts.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface AtomLink {
  '@rel'?: string;
  '@href': string;
  '@type'?: string;
  '@title'?: string;
}

interface TextConstruct {
  '#text'?: string;
  '@type'?: string;
}

export interface AtomEntry {
  id: string;
  title: TextConstruct;
  published?: string;
  updated: string;
  link: AtomLink[];
  content?: TextConstruct;
  summary?: TextConstruct;
  category?: { '@term': string; '@label'?: string };
}

export interface AtomFeed {
  '@xmlns': string;
  id: string;
  title: TextConstruct;
  subtitle?: TextConstruct;
  updated: string;
  author?: { name: string; uri?: string };
  link: AtomLink[];
  entry: AtomEntry[];
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function parseAtom(xml: string): AtomFeed {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid.err)}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    trimValues: false,
    // Numeric character references (&#13;) decoded, as every XML parser does.
    htmlEntities: true,
    parseTagValue: false,
    alwaysCreateTextNode: false,
    isArray: (name) => name === 'entry' || name === 'link',
  });
  const document = parser.parse(xml) as { feed?: AtomFeed };
  const feed = document.feed;
  if (!feed) throw new Error('no <feed> root element');
  feed.entry ??= [];
  checkRfc4287(feed);
  return feed;
}

/** The MUSTs of RFC 4287 §4.1 that a generator can break. */
function checkRfc4287(feed: AtomFeed): void {
  const problems: string[] = [];
  if (feed['@xmlns'] !== 'http://www.w3.org/2005/Atom') problems.push('feed: not in the Atom namespace');
  if (!isIri(feed.id)) problems.push(`feed: id ${feed.id} is not an absolute IRI`);
  if (textOf(feed.title) === '') problems.push('feed: no title');
  if (!RFC3339.test(feed.updated)) problems.push(`feed: updated ${feed.updated} is not an RFC 3339 date`);
  if (!feed.author?.name && feed.entry.some((entry) => !('author' in entry))) problems.push('feed: no author, and entries without one');
  if (!feed.link.some((link) => link['@rel'] === 'self')) problems.push('feed: no rel="self" link');
  const ids = new Set<string>();
  for (const entry of feed.entry) {
    if (!isIri(entry.id)) problems.push(`entry ${entry.id}: id is not an absolute IRI`);
    if (ids.has(entry.id)) problems.push(`entry ${entry.id}: id repeated`);
    ids.add(entry.id);
    if (textOf(entry.title) === '') problems.push(`entry ${entry.id}: no title`);
    if (!RFC3339.test(entry.updated)) problems.push(`entry ${entry.id}: updated is not an RFC 3339 date`);
    if (entry.published !== undefined && !RFC3339.test(entry.published)) problems.push(`entry ${entry.id}: published is not an RFC 3339 date`);
    const alternates = entry.link.filter((link) => (link['@rel'] ?? 'alternate') === 'alternate');
    if (!entry.content && alternates.length === 0) problems.push(`entry ${entry.id}: neither content nor an alternate link`);
    if (new Set(alternates.map((link) => link['@type'])).size !== alternates.length) problems.push(`entry ${entry.id}: two alternate links of one type`);
    for (const link of entry.link) if (!isIri(link['@href'])) problems.push(`entry ${entry.id}: link ${link['@href']} is not absolute`);
  }
  if (problems.length > 0) throw new Error(`not valid Atom (RFC 4287):\n${problems.join('\n')}`);
}

function isIri(value: unknown): boolean {
  return typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\S+$/i.test(value);
}

export function textOf(construct: TextConstruct | string | undefined): string {
  if (construct === undefined) return '';
  return typeof construct === 'string' ? construct : (construct['#text'] ?? '');
}
