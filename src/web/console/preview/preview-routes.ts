/**
 * `GET /admin/o/:office/preview`: the office's upcoming posts as Instagram and
 * X will show them; `GET /admin/o/:office/preview/card/:post/:n`: the n-th
 * card image of one of them.
 *
 * The card route never builds a path from the URL: it looks the post up in
 * the office's own preview (the cached one the page was made from) and the
 * card by its position there; the file is the one the renderer recorded,
 * checked against its SHA-256. Another office's post is simply not in it (404),
 * another office's URL is refused by the guard (403).
 */
import type { FastifyInstance } from 'fastify';
import { CardMissingError } from '../../../channels/card-bytes';
import { readPreviewCard } from '../../../console/preview';
import { dateLabel } from '../../../console/view-parts';
import { hasRole, requireRole } from '../../access';
import type { WebContext } from '../../console-page';
import { HttpError } from '../../http-error';
import { renderPage } from '../../render';
import { currentOffice, currentUser } from '../../request-context';
import type { PreviewCache } from './preview-cache';
import { previewRange } from './preview-range';
import { previewPageData } from './preview-view';
import { officeSource } from './office-source';

const POST_ID = /^[A-Za-z0-9_-]{1,100}$/;
const POSITION = /^[1-9][0-9]?$/;

export function registerPreviewRoutes(app: FastifyInstance, web: WebContext, cache: PreviewCache): void {
  app.get<{ Querystring: { from?: string; to?: string } }>('/admin/o/:office/preview', { config: { access: requireRole('viewer') } }, async (request, reply) => {
    const office = currentOffice(request);
    const now = web.clock.now();
    const range = previewRange(request.query, office.timezone, now);
    const base = `/admin/o/${encodeURIComponent(office.id)}`;
    const page = { title: request.t('preview.title', { office: office.name }), baseUrl: `${base}/preview`, historyUrl: `${base}/history`, fromDate: range.fromDate, toDate: range.toDate, ...(range.problem ? { rangeProblem: request.t(range.problem) } : {}) };
    const source = await officeSource(web, office.id);
    if (!source) return renderPage(request, reply, 'console/preview/preview.hbs', { ...page, missing: true });
    const { preview } = await cache.get(source, range);
    const data = previewPageData(preview, { officeId: office.id, range, now, lang: request.lang, t: request.t, canEditTemplates: hasRole(currentUser(request), office.id, 'editor') });
    const words = { from: dateLabel(range.fromDate, request.lang), to: dateLabel(range.toDate, request.lang) };
    const summary = data.postCount === 0 ? request.t('preview.summaryNone', words) : request.t('preview.summary', { ...words, posts: data.postCount, errors: data.errorCount });
    return renderPage(request, reply, 'console/preview/preview.hbs', { ...page, ...data, summary });
  });

  app.get<{ Params: { office: string; post: string; n: string }; Querystring: { from?: string; to?: string } }>(
    '/admin/o/:office/preview/card/:post/:n',
    { config: { access: requireRole('viewer') } },
    async (request, reply) => {
      const office = currentOffice(request);
      const { post: postId, n } = request.params;
      if (!POST_ID.test(postId) || !POSITION.test(n)) throw new HttpError(404, 'error.404');
      const source = await officeSource(web, office.id);
      if (!source) throw new HttpError(404, 'error.404');
      const range = previewRange(request.query, office.timezone, web.clock.now());
      const { preview, mediaDir } = await cache.get(source, range);
      const card = preview.posts.find((post) => post.id === postId)?.cards.find((each) => each.position === Number(n));
      if (!card) throw new HttpError(404, 'error.404');
      try {
        const read = await readPreviewCard(mediaDir, card);
        // Private: a signed-in page's image, not for shared caches.
        return reply.type(card.mime).header('cache-control', 'private, max-age=300').header('content-disposition', 'inline').send(read.bytes);
      } catch (error) {
        if (error instanceof CardMissingError) throw new HttpError(404, 'error.404');
        throw error;
      }
    },
  );
}
