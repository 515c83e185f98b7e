/**
 * The steps of the calendar edit flow as a browser takes them over HTTP: read
 * a hidden field back from a page, press the review page's Save, read a
 * section of the review page.
 */
import type { LightMyRequestResponse } from 'fastify';
import type { Browser } from '../support/web';

const ENTITIES: Record<string, string> = { '&quot;': '"', '&#x27;': "'", '&#x60;': '`', '&#x3D;': '=', '&lt;': '<', '&gt;': '>', '&amp;': '&' };

/** A hidden field's value in a page, as the browser would send it back (Handlebars escapes attribute text). */
export function hidden(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match) throw new Error(`no hidden ${name} in the page`);
  return match[1]!.replace(/&quot;|&#x27;|&#x60;|&#x3D;|&lt;|&gt;|&amp;/g, (entity) => ENTITIES[entity]!);
}

/** The review page's Save button. */
export function save(browser: Browser, url: string, review: LightMyRequestResponse): Promise<LightMyRequestResponse> {
  return browser.post(url, { _step: 'save', baseRevisionId: hidden(review.body, 'baseRevisionId'), draft: hidden(review.body, 'draft') });
}

/** The <section> of the review page with this heading id, or ''. */
export function section(html: string, id: string): string {
  return new RegExp(`<section[^>]*aria-labelledby="${id}">[\\s\\S]*?</section>`).exec(html)?.[0] ?? '';
}
