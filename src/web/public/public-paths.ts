/**
 * The public URLs (shared/CONTRACT.md "Web", ISSUE10 "Fixed names"): built
 * here only, so a page never links a path another module does not serve.
 * Office ids are config ids (`[a-z0-9-]`), codes Crockford base 32: both are
 * URL-safe, and encoded anyway.
 */
export const INDEX_PATH = '/';
export const VERIFY_PATH = '/v';

export interface OfficePaths {
  page: string;
  archive: string;
  calendar: string;
  atom: string;
  widget: string;
  widgetScript: string;
  entry(code: string): string;
  card(code: string, index: number, width?: number): string;
}

export function officePaths(officeId: string): OfficePaths {
  const base = `/o/${encodeURIComponent(officeId)}`;
  return {
    page: `${base}/`,
    archive: `${base}/archive`,
    calendar: `${base}/calendar.ics`,
    atom: `${base}/feed.atom`,
    widget: `${base}/widget`,
    widgetScript: `${base}/widget.js`,
    entry: (code) => `${base}/archive/${encodeURIComponent(code)}`,
    card: (code, index, width) => `${base}/archive/${encodeURIComponent(code)}/card-${index}.jpg${width ? `?w=${width}` : ''}`,
  };
}

/** `/v/K7M2Q9XD`: what the QR code on a card holds (render/verify-code.ts verifyUrl). */
export function verifyPath(code: string): string {
  return `${VERIFY_PATH}/${encodeURIComponent(code)}`;
}
