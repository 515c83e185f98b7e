/**
 * `/o/{office}/widget`: the opening open now and the next one in a few lines, for other sites to
 * show in an iframe (a local government's page, a news site), and
 * `/o/{office}/widget.js`, a tiny script that inserts that iframe.
 *
 * The console and every other page forbid framing (web/plugins.ts: CSP
 * frame-ancestors 'none', X-Frame-Options); this route alone allows any
 * site to frame it. It loads nothing: its few styles are inline, allowed by
 * their hash, so it costs one request of ~1.5 kB.
 */
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { PublicOffice } from '../../public/types';
import { PUBLIC } from '../access';
import { cancelledBefore, headlineOpenings, nextOpening, openingView } from './opening-view';
import { PAGE_CACHE, sendPublicError, type PublicContext } from './public-context';
import { officePaths } from './public-paths';

const STYLE =
  'body{margin:0;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#fff}' +
  'main{padding:.5rem .75rem;border:1px solid #c9d0d8;border-radius:6px}p{margin:.2rem 0}a{color:#0b5394}' +
  '.o{font-weight:700}.t{font-weight:700;margin-top:.4rem}.b{display:inline-block;font-weight:700;font-size:.85rem;padding:0 .35rem;border:1px solid currentColor;border-radius:3px}' +
  '.c{color:#a4161a}.f{font-size:.9rem;margin-top:.4rem}a:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}';
const NUMBER = new Intl.NumberFormat('id-ID');
const STYLE_HASH = crypto.createHash('sha256').update(STYLE).digest('base64');

/** Any site may frame the widget; it runs no script and loads nothing but its own images. */
export const WIDGET_CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors *`;

export const WIDGET_WIDTH = 320;
export const WIDGET_HEIGHT = 260;

/** The two embed snippets the office page and the README show. */
export function embedCode(origin: string, office: Pick<PublicOffice, 'id' | 'shortName'>): { iframe: string; script: string } {
  const paths = officePaths(office.id);
  const title = `Jadwal kuota ${office.shortName}`.replace(/"/g, '&quot;');
  return {
    iframe: `<iframe src="${origin}${paths.widget}" title="${title}" width="${WIDGET_WIDTH}" height="${WIDGET_HEIGHT}" style="border:0" loading="lazy"></iframe>`,
    script: `<script src="${origin}${paths.widgetScript}" async></script>`,
  };
}

/**
 * Inserts the iframe after its own <script> tag (document.currentScript: the
 * async script knows where it was written). ES5, no dependencies.
 */
function widgetScript(title: string): string {
  return `(function(){var s=document.currentScript;if(!s)return;var f=document.createElement('iframe');f.src=s.src.replace(/\\.js(\\?.*)?$/,'');f.title=${JSON.stringify(title)};f.width='${WIDGET_WIDTH}';f.height='${WIDGET_HEIGHT}';f.loading='lazy';f.style.border='0';s.parentNode.insertBefore(f,s.nextSibling);})();\n`;
}

export function registerWidget(app: FastifyInstance, ctx: PublicContext): void {
  app.get('/o/:office/widget', { config: { access: PUBLIC } }, async (request, reply) => {
    const data = await ctx.officeData((request.params as { office: string }).office);
    if (!data) return sendPublicError(ctx, reply, 404);
    const openings = data.openings ?? [];
    const html = ctx.views.bare('widget', {
      style: STYLE,
      officeName: data.office.shortName,
      pageHref: officePaths(data.office.id).page,
      openings: headlineOpenings(openings).map((opening) => ({
        ...openingView(opening),
        counts: opening.serviceTotals.filter((each) => each.count !== null).map((each) => ({ name: each.shortName, count: NUMBER.format(each.count!) })),
      })),
      cancelled: cancelledBefore(openings, nextOpening(openings), ctx.web.clock.now()).map(openingView),
    });
    reply.removeHeader('x-frame-options');
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', WIDGET_CSP)
      // An embedder with Cross-Origin-Embedder-Policy may load it too.
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('cache-control', PAGE_CACHE)
      .send(html);
  });
  app.get('/o/:office/widget.js', { config: { access: PUBLIC } }, async (request, reply) => {
    const data = await ctx.officeData((request.params as { office: string }).office);
    if (!data) return reply.code(404).type('text/javascript; charset=utf-8').header('cache-control', 'no-store').send('/* kantor tidak ditemukan */\n');
    return reply
      .type('text/javascript; charset=utf-8')
      // Loaded by <script src> from other sites: a same-origin resource policy would block it there.
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('cache-control', 'public, max-age=3600')
      .send(widgetScript(`Jadwal kuota ${data.office.shortName}`));
  });
}
