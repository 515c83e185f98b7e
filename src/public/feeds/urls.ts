/**
 * The public addresses the feeds and the API link to (web paths of
 * CONTRACT.md and ISSUE10.md), absolute: a calendar event or an Atom entry is
 * read far from the page it came from.
 */
export interface PublicUrls {
  /** `https://kuota.example.go.id`, no trailing slash. */
  base: string;
  officePage(officeId: string): string;
  archive(officeId: string): string;
  archiveEntry(officeId: string, code: string): string;
  /** `n` from 1. */
  card(officeId: string, code: string, n: number): string;
  calendar(officeId: string): string;
  atom(officeId: string): string;
  apiOffice(officeId: string): string;
}

export function publicUrls(baseUrl: string): PublicUrls {
  const base = baseUrl.replace(/\/+$/, '');
  const office = (id: string): string => `${base}/o/${encodeURIComponent(id)}`;
  return {
    base,
    officePage: (id) => `${office(id)}/`,
    archive: (id) => `${office(id)}/archive`,
    archiveEntry: (id, code) => `${office(id)}/archive/${encodeURIComponent(code)}`,
    card: (id, code, n) => `${office(id)}/archive/${encodeURIComponent(code)}/card-${n}.jpg`,
    calendar: (id) => `${office(id)}/calendar.ics`,
    atom: (id) => `${office(id)}/feed.atom`,
    apiOffice: (id) => `${base}/api/v1/offices/${encodeURIComponent(id)}`,
  };
}

/**
 * The authority of `tag:` ids (RFC 4151): the public host when one is
 * configured, else `quota-herald`. Never the host of a request: an id must
 * not change with the name a reader used to reach us.
 */
export function tagAuthority(publicBaseUrl: string | null | undefined): string {
  if (!publicBaseUrl) return 'quota-herald';
  try {
    return new URL(publicBaseUrl).hostname || 'quota-herald';
  } catch {
    return 'quota-herald';
  }
}
